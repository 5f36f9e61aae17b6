import { describe, expect, it } from 'vitest';
import { decimalSeparatorOf, parseLocaleAmount, parsePastedAmounts } from './pasted-values.js';

const amount = (text: string, decimal: '.' | ',' = '.') => {
  const r = parseLocaleAmount(text, decimal);
  return r.ok ? r.amount : `error: ${r.reason}`;
};

describe('pasted amounts', () => {
  it('reads German and English thousands and decimals whatever the locale', () => {
    expect(amount('1.234,56', '.')).toBe('1234.56');
    expect(amount('1.234,56', ',')).toBe('1234.56');
    expect(amount('1,234.56', ',')).toBe('1234.56');
    expect(amount('1,234,567.8')).toBe('1234567.80');
    expect(amount('1.234.567', ',')).toBe('1234567.00');
    expect(amount('1 234,56', ',')).toBe('1234.56');
    expect(amount("1'234.50")).toBe('1234.50');
  });

  it('lets the locale decide one separator followed by three digits', () => {
    expect(amount('1,234', '.')).toBe('1234.00');
    expect(amount('1.234', ',')).toBe('1234.00');
    expect(amount('1,234', ',')).toMatch(/more than two decimals/);
    expect(amount('12,5', '.')).toBe('12.50');
    expect(amount('12.5', ',')).toBe('12.50');
  });

  it('reads signs, currency marks and empty cells', () => {
    expect(amount('-1.234,56 €', ',')).toBe('-1234.56');
    expect(amount('(1,234.56)')).toBe('-1234.56');
    expect(amount('EUR 50')).toBe('50.00');
    expect(amount('  ')).toBeNull();
    expect(amount('abc')).toMatch(/not a number/);
    expect(amount('1.2.3,4,5')).toMatch(/not a number|decimal/);
    expect(amount('1.2.3')).toBe('error: "1.2.3" is not a number');
    expect(amount('12,34,567.00')).toBe('error: "12,34,567.00" is not a number');
  });

  it('splits a copied row by tabs and rows by line breaks, reporting bad cells by position', () => {
    const r = parsePastedAmounts('1.000,50\t\t2.000\r\n3,5\tx\n', ',');
    expect(r.cells).toEqual([
      { row: 0, column: 0, amount: '1000.50' },
      { row: 0, column: 1, amount: null },
      { row: 0, column: 2, amount: '2000.00' },
      { row: 1, column: 0, amount: '3.50' },
    ]);
    expect(r.errors).toEqual([{ row: 1, column: 1, reason: '"x" is not a number' }]);
  });

  it('knows the decimal separator of a locale', () => {
    expect(decimalSeparatorOf('de-DE')).toBe(',');
    expect(decimalSeparatorOf('en-GB')).toBe('.');
  });
});
