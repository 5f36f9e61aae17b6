import { describe, expect, it } from 'vitest';
import { parseWeights, SpreadError, spreadByWeights, spreadEvenly, SPREAD_PATTERNS } from './value-spreading.js';

describe('spreading a yearly amount', () => {
  it('splits 1000.00 over 12 months: the four leftover cents go to the first four months', () => {
    // 100000 cents / 12 = 8333 r 4: every share loses the same to the floor, so the earliest months get a cent.
    expect(spreadEvenly('1000', 12)).toEqual([
      '83.34', '83.34', '83.34', '83.34', '83.33', '83.33', '83.33', '83.33', '83.33', '83.33', '83.33', '83.33',
    ]);
  });

  it('splits an amount that divides evenly without remainder', () => {
    expect(spreadEvenly('1200.00', 12)).toEqual(Array(12).fill('100.00'));
  });

  it('gives a remainder cent to the largest lost fraction first', () => {
    // 10.00 by 1:2: exact shares 333.33… and 666.66… cents; the second loses .66 and gets the cent.
    expect(spreadByWeights('10.00', [1, 2])).toEqual(['3.33', '6.67']);
    // 0.05 by 1,1,1: 1.66… each: the first two months get a cent.
    expect(spreadByWeights('0.05', [1, 1, 1])).toEqual(['0.02', '0.02', '0.01']);
  });

  it('keeps months weighted 0 at 0 and books quarters at quarter ends', () => {
    expect(spreadByWeights('100.01', SPREAD_PATTERNS.quarterEnd)).toEqual([
      '0.00', '0.00', '25.01', '0.00', '0.00', '25.00', '0.00', '0.00', '25.00', '0.00', '0.00', '25.00',
    ]);
  });

  it('ramps up 7800 as 100, 200 … 1200', () => {
    expect(spreadByWeights('7800', SPREAD_PATTERNS.rampUp)).toEqual([
      '100.00', '200.00', '300.00', '400.00', '500.00', '600.00', '700.00', '800.00', '900.00', '1000.00', '1100.00', '1200.00',
    ]);
  });

  it('spreads negative amounts symmetrically and accepts decimal weights', () => {
    expect(spreadEvenly('-1000', 12).slice(0, 5)).toEqual(['-83.34', '-83.34', '-83.34', '-83.34', '-83.33']);
    expect(spreadByWeights('1.00', ['0.5', '1.5'])).toEqual(['0.25', '0.75']);
  });

  it('always adds up to the amount exactly', () => {
    for (const [total, n] of [['9999999999999.99', 7], ['0.01', 12], ['123456.78', 11]] as const) {
      const parts = spreadEvenly(total, n);
      const sum = parts.reduce((s, p) => s + BigInt(p.replace('.', '')), 0n);
      expect(sum).toBe(BigInt(total.replace('.', '')));
    }
  });

  it('refuses bad input', () => {
    expect(() => spreadEvenly('1.234', 12)).toThrow(SpreadError);
    expect(() => spreadEvenly('100', 0)).toThrow(SpreadError);
    expect(() => spreadByWeights('100', [0, 0])).toThrow(/not all be 0/);
    expect(() => spreadByWeights('100', [-1, 2])).toThrow(SpreadError);
    expect(() => parseWeights('1, x')).toThrow(SpreadError);
    expect(parseWeights('1, 1;2\t3')).toEqual(['1', '1', '2', '3']);
  });
});
