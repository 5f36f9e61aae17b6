import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

describe('the strict Prometheus text reader used by the /metrics tests', () => {
  it('reads families, labels (le first or last) and special values', () => {
    const text = [
      '# HELP h_seconds Durations',
      '# TYPE h_seconds histogram',
      'h_seconds_bucket{le="0.1",op="Me"} 2',
      'h_seconds_bucket{le="+Inf",op="Me"} 3',
      'h_seconds_sum{op="Me"} 0.25',
      'h_seconds_count{op="Me"} 3',
      'h_seconds_count{op="Other"} 4',
      '# TYPE g gauge',
      'g{a="x \\"q\\" y"} Nan',
      'g{a="z"} -Inf 1700000000000',
      '',
    ].join('\n');
    const f = parsePrometheusText(text);
    expect(f.get('h_seconds')!.type).toBe('histogram');
    expect(f.get('h_seconds')!.help).toBe('Durations');
    expect(sampleValue(f, 'h_seconds_count', { op: 'Me' })).toBe(3);
    expect(sampleValue(f, 'h_seconds_count')).toBe(7);
    expect(sampleValue(f, 'h_seconds_bucket', { le: '0.1' })).toBe(2);
    expect(parsePrometheusText('a 1\n').get('a')!.type).toBe('untyped');
    expect(f.get('g')!.samples.map((s) => [s.labels.a, s.value])).toEqual([['x "q" y', NaN], ['z', -Infinity]]);
  });

  it('refuses lines outside the grammar', () => {
    for (const bad of ['garbage line here\n', '# TYPE a counter\na{b=c} 1\n', '# TYPE a counter\na 1 2 3\n', '# TYPE a countr\n', 'a{} 1\nb{,} 2\n', '# TYPE a counter\na 1']) {
      expect(() => parsePrometheusText(bad), bad).toThrow();
    }
  });
});
