import { describe, expect, it } from 'vitest';
import { settingsChanged, settingsDraft, settingsProblems, slaProblems, toSettingsInput, toSlaPolicy } from './ticket-settings-form';

const org = { recurringThreshold: 5, recurringWindowDays: 90, costPerTicket: '25.00' };

describe('the ticket settings form', () => {
  it('checks N, W and the cost per ticket as the server does', () => {
    expect(settingsProblems(settingsDraft(org))).toEqual({});
    expect(settingsProblems({ threshold: '1', windowDays: '0', costPerTicket: '-3' })).toEqual({
      threshold: expect.stringMatching(/2 to 100,000/),
      windowDays: expect.stringMatching(/1 to 3,650/),
      costPerTicket: expect.stringMatching(/two decimals/),
    });
    expect(settingsProblems({ threshold: '5.5', windowDays: 'ninety', costPerTicket: '12.345' })).toMatchObject({ threshold: expect.any(String), windowDays: expect.any(String), costPerTicket: expect.any(String) });
  });

  it('sends only what changed, so someone else’s change to another setting survives', () => {
    const base = settingsDraft(org);
    expect(toSettingsInput({ ...base, threshold: ' 8 ' }, base)).toEqual({ recurringThreshold: 8 });
    expect(toSettingsInput({ ...base, costPerTicket: '25' }, base)).toEqual({});
    expect(toSettingsInput({ ...base, costPerTicket: '31.5' }, base)).toEqual({ costPerTicket: '31.50' });
    expect(settingsChanged(base, base)).toBe(false);
    expect(settingsChanged({ ...base, windowDays: '30' }, base)).toBe(true);
  });
});

describe('the SLA target form', () => {
  it('reads targets as times and keeps resolution after response', () => {
    expect(toSlaPolicy({ priority: 'HIGH', category: ' Network ', response: '30m', resolution: '8h' })).toEqual({
      priority: 'HIGH',
      category: 'Network',
      responseMinutes: 30,
      resolutionMinutes: 480,
    });
    expect(slaProblems({ priority: 'HIGH', category: '', response: '8h', resolution: '30m' })).toEqual({ resolution: expect.stringMatching(/before the first response/) });
    expect(slaProblems({ priority: 'LOW', category: '', response: '', resolution: '2 years' })).toMatchObject({ response: expect.any(String), resolution: expect.any(String) });
    expect(slaProblems({ priority: 'LOW', category: '', response: '1m', resolution: '400d' })).toMatchObject({ resolution: expect.stringMatching(/at most a year/) });
    expect(toSlaPolicy({ priority: 'LOW', category: '', response: 'x', resolution: '1h' })).toBeNull();
  });
});
