import fs from 'node:fs';
import path from 'node:path';

/**
 * Benchmark figures: each a value with the baseline measured in the same run, their ratio and the target it is
 * held to. Machines here are shared and noisy, so targets are ratios wherever a baseline exists.
 */
export const RESULTS_FILE = path.resolve(import.meta.dirname, '../results.json');

export class Results {
  constructor(mode) {
    this.mode = mode;
    this.figures = [];
  }

  /** `better` says which way is good: 'lower' (latency, memory) or 'higher' (throughput). */
  add({ figure, value, unit, baseline = null, target, pass, note = '' }) {
    const ratio = baseline ? Math.round((value / baseline) * 1000) / 1000 : null;
    const row = { figure, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio, target, pass: Boolean(pass), note };
    this.figures.push(row);
    console.log(`  ${pass ? 'PASS' : 'MISS'}  ${figure}: ${row.value} ${unit}${baseline !== null ? ` (baseline ${row.baseline}, ratio ${ratio})` : ''}  target ${target}${note ? `  — ${note}` : ''}`);
    return row;
  }

  write(extra = {}) {
    const existing = fs.existsSync(RESULTS_FILE) ? JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) : null;
    // Keep figures of benchmarks not run this time (e.g. only one was asked for).
    const kept = (existing?.figures ?? []).filter((f) => !this.figures.some((n) => n.figure === f.figure));
    const out = { mode: this.mode, finishedAt: new Date().toISOString(), node: process.version, ...extra, figures: [...kept, ...this.figures] };
    fs.writeFileSync(RESULTS_FILE, JSON.stringify(out, null, 2) + '\n');
    return out;
  }

  table() {
    const rows = this.figures.map((f) => [f.pass ? 'PASS' : 'MISS', f.figure, `${f.value} ${f.unit}`, f.baseline ?? '', f.ratio ?? '', f.target]);
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length))) ?? [];
    return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
  }
}

function round(n) {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarise(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length };
}
