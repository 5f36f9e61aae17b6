import { describe, expect, it } from 'vitest';
import { Status } from './measure-enums.js';
import { deriveImplementationStatus, derivePotentialStatus } from './status-rules.js';

const now = new Date('2026-06-15T12:00:00Z');
const daysFromNow = (d: number) => new Date(now.getTime() + d * 86_400_000);

describe('Implementation Status', () => {
  it('is green when nothing is due within 14 days', () => {
    expect(deriveImplementationStatus(null, now).status).toBe(Status.GREEN);
    expect(deriveImplementationStatus(daysFromNow(15), now).status).toBe(Status.GREEN);
  });

  it('is amber when something is due within 14 days or overdue by up to 14 days', () => {
    expect(deriveImplementationStatus(daysFromNow(14), now).status).toBe(Status.AMBER);
    expect(deriveImplementationStatus(daysFromNow(-1), now).status).toBe(Status.AMBER);
    expect(deriveImplementationStatus(daysFromNow(-14), now).status).toBe(Status.AMBER);
  });

  it('is red when more than 14 days overdue', () => {
    const s = deriveImplementationStatus(daysFromNow(-15), now);
    expect(s.status).toBe(Status.RED);
    expect(s.reason).toMatch(/Overdue by 15 days/);
  });

  it('lets an owner override with a reason', () => {
    const s = deriveImplementationStatus(daysFromNow(-30), now, { status: Status.AMBER, reason: 'Supplier delay agreed' });
    expect(s).toEqual({ status: Status.AMBER, reason: 'Supplier delay agreed', overridden: true });
  });
});

describe('Potential Status', () => {
  it('compares the latest estimate with plan at 95 % and 80 %', () => {
    expect(derivePotentialStatus('1000.00', '950.00').status).toBe(Status.GREEN);
    expect(derivePotentialStatus('1000.00', '949.99').status).toBe(Status.AMBER);
    expect(derivePotentialStatus('1000.00', '800.00').status).toBe(Status.AMBER);
    expect(derivePotentialStatus('1000.00', '799.99').status).toBe(Status.RED);
  });

  it('uses the organisation thresholds', () => {
    expect(derivePotentialStatus('1000.00', '900.00', { potentialGreenPercent: 90, potentialAmberPercent: 70 }).status).toBe(Status.GREEN);
  });

  it('is green without plan values', () => {
    expect(derivePotentialStatus('0.00', '0.00').status).toBe(Status.GREEN);
  });
});
