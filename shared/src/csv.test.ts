import { describe, expect, it } from 'vitest';
import { csvField } from './csv.js';

describe('CSV fields', () => {
  it('defuses text a spreadsheet would run, in ASCII and full-width forms, after leading spaces too', () => {
    for (const cell of ['=1+1', '+1', '-1+2', '@SUM(A1)', '|cmd', ';cmd', '＝HYPERLINK("x")', '＋1', '－1', '＠SUM(A1)', '\tx', '\rx', '  =1+1']) {
      expect(csvField(cell, 'text').replace(/^"/, '').startsWith(`'`), cell).toBe(true);
    }
  });

  it('leaves ordinary text and every plain value as it is', () => {
    expect(csvField('Reduce tickets', 'text')).toBe('Reduce tickets');
    expect(csvField('a=b; c|d', 'text')).toBe('a=b; c|d');
    expect(csvField('-1250.00')).toBe('-1250.00');
    expect(csvField(42)).toBe('42');
    expect(csvField(null)).toBe('');
  });

  it('quotes fields with commas, quotes, line breaks or edge spaces, doubling the quotes', () => {
    expect(csvField('Cost, avoidance')).toBe('"Cost, avoidance"');
    expect(csvField('＝HYPERLINK("x")', 'text')).toBe(`"'＝HYPERLINK(""x"")"`);
    expect(csvField(' padded ')).toBe('" padded "');
  });
});
