import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeasureState } from '../measure-enums.js';
import { centsToMoney, moneyToCents } from '../money.js';
import { computeDoiBridge, type BridgeInput } from './doi-bridge.js';

const W = [10, 30, 60, 90, 100];

describe('DoI bridge', () => {
  it('sorts each measure’s change into one movement', () => {
    const rows: BridgeInput[] = [
      { measureId: 'new', start: null, end: { doi: 1, state: MeasureState.ACTIVE, value: '100.00' } },
      { measureId: 'up', start: { doi: 2, state: MeasureState.ACTIVE, value: '1000.00' }, end: { doi: 3, state: MeasureState.ACTIVE, value: '1000.00' } },
      { measureId: 'back', start: { doi: 3, state: MeasureState.ACTIVE, value: '500.00' }, end: { doi: 2, state: MeasureState.ACTIVE, value: '500.00' } },
      { measureId: 'stop', start: { doi: 2, state: MeasureState.ACTIVE, value: '300.00' }, end: { doi: 2, state: MeasureState.CANCELLED, value: '300.00' } },
      { measureId: 'close', start: { doi: 4, state: MeasureState.ACTIVE, value: '800.00' }, end: { doi: 5, state: MeasureState.CLOSED, value: '900.00' } },
    ];
    const b = computeDoiBridge(rows, W);
    const byKind = Object.fromEntries(b.movements.map((m) => [m.kind, m]));
    expect(byKind.NEW).toMatchObject({ count: 1, value: '100.00', riskWeighted: '10.00' });
    expect(byKind.ADVANCED).toMatchObject({ count: 1, value: '0.00', riskWeighted: '300.00', measureIds: ['up'] });
    expect(byKind.MOVED_BACK).toMatchObject({ count: 1, riskWeighted: '-150.00' });
    expect(byKind.STOPPED).toMatchObject({ count: 1, value: '-300.00', riskWeighted: '-90.00' });
    expect(byKind.CLOSED).toMatchObject({ count: 1, riskWeighted: '80.00' });
    expect(byKind.VALUE_CHANGE).toMatchObject({ count: 1, value: '100.00', riskWeighted: '100.00' });
    expect(b.startValue).toBe('2600.00');
    expect(b.endValue).toBe('2500.00');
  });

  it('reconciles to the cent, unweighted and risk-weighted, for any portfolio', () => {
    const at = fc.option(
      fc.record({
        doi: fc.integer({ min: 1, max: 5 }),
        state: fc.constantFrom(MeasureState.ACTIVE, MeasureState.ON_HOLD, MeasureState.CANCELLED, MeasureState.CLOSED),
        value: fc.bigInt({ min: 0n, max: 10n ** 12n }).map(centsToMoney),
      }),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.array(fc.record({ measureId: fc.uuid(), start: at, end: at }), { maxLength: 40 }), (rows) => {
        const b = computeDoiBridge(rows, W);
        const total = (key: 'value' | 'riskWeighted') => b.movements.reduce((s, m) => s + moneyToCents(m[key]), 0n);
        expect(moneyToCents(b.startValue) + total('value')).toBe(moneyToCents(b.endValue));
        expect(moneyToCents(b.startRiskWeighted) + total('riskWeighted')).toBe(moneyToCents(b.endRiskWeighted));
      }),
    );
  });
});
