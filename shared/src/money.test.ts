import { describe, expect, it } from 'vitest';
import { centsToMoney, compareMoney, isMoney, MONEY_MAX, moneyToCents, normaliseMoney, percentOfMoney, sumMoney } from './money.js';

describe('money', () => {
  it('accepts decimal strings with at most two fraction digits and 13 integer digits', () => {
    for (const ok of ['0', '12', '12.5', '12.50', '-3.25', '9999999999999.99']) expect(isMoney(ok)).toBe(true);
    for (const bad of ['', '1.234', '1e3', '01', '12,50', ' 1', '10000000000000', 'NaN', '.5', '-', '1.']) {
      expect(isMoney(bad)).toBe(false);
    }
    expect(isMoney(12)).toBe(false);
  });

  it('draws the per-value maximum at 9,999,999,999,999.99 either way, one cent beyond refused', () => {
    expect(MONEY_MAX).toBe('9999999999999.99');
    for (const ok of ['9999999999999.99', '-9999999999999.99', '9999999999999.9', '5000000000000.00']) expect(isMoney(ok), ok).toBe(true);
    for (const bad of ['10000000000000.00', '-10000000000000.00', '10000000000000', '99999999999999.99']) expect(isMoney(bad), bad).toBe(false);
  });

  it('converts to and from integer cents exactly', () => {
    expect(moneyToCents('12.5')).toBe(1250n);
    expect(moneyToCents('-0.07')).toBe(-7n);
    expect(centsToMoney(-7n)).toBe('-0.07');
    expect(normaliseMoney('12')).toBe('12.00');
  });

  it('sums without float drift', () => {
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(sumMoney(Array(1000).fill('0.01'))).toBe('10.00');
    expect(compareMoney('10.00', '9.99')).toBe(1);
  });

  it('weights by whole percent, rounding half away from zero', () => {
    expect(percentOfMoney('100.00', 30)).toBe('30.00');
    expect(percentOfMoney('0.05', 10)).toBe('0.01');
    expect(percentOfMoney('-0.05', 10)).toBe('-0.01');
    expect(percentOfMoney('0.04', 10)).toBe('0.00');
  });
});
