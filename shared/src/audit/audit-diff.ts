/**
 * The difference between an audit entry's `before` and `after` (JSON objects, or null), field by field. Nested
 * objects are flattened to dotted keys one level deep so "values.2026-01" reads as one row; anything deeper is
 * shown as JSON.
 */
export type DiffChange = 'added' | 'removed' | 'changed' | 'same';

export interface DiffRow {
  key: string;
  before: string | null;
  after: string | null;
  change: DiffChange;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as a person reads it: strings bare, everything else as compact JSON. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function flatten(v: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isRecord(v)) {
    if (v !== null && v !== undefined) out.set('value', v);
    return out;
  }
  for (const [k, x] of Object.entries(v)) {
    if (isRecord(x) && Object.keys(x).length > 0) for (const [k2, y] of Object.entries(x)) out.set(`${k}.${k2}`, y);
    else out.set(k, x);
  }
  return out;
}

export function auditDiff(before: unknown, after: unknown): DiffRow[] {
  const b = flatten(before);
  const a = flatten(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  return keys.map((key) => {
    const has = { before: b.has(key), after: a.has(key) };
    const bv = has.before ? displayValue(b.get(key)) : null;
    const av = has.after ? displayValue(a.get(key)) : null;
    const change: DiffChange = !has.before ? 'added' : !has.after ? 'removed' : bv === av ? 'same' : 'changed';
    return { key, before: bv, after: av, change };
  });
}

/** Changed rows first, then the rest, each group in the entry's own field order. */
export function sortDiff(rows: readonly DiffRow[]): DiffRow[] {
  const rank: Record<DiffChange, number> = { changed: 0, added: 1, removed: 2, same: 3 };
  return rows.map((r, i) => ({ r, i })).sort((x, y) => rank[x.r.change] - rank[y.r.change] || x.i - y.i).map(({ r }) => r);
}

/**
 * An entry's changes as one line of text (the CSV export): changed, added and removed fields in words, each as
 * "Field: before → after". `name` turns ids into names where it knows them.
 */
export function auditChangesText(before: unknown, after: unknown, label: (key: string) => string, name: (value: string) => string = (v) => v): string {
  return sortDiff(auditDiff(before, after))
    .filter((r) => r.change !== 'same')
    .map((r) => `${label(r.key)}: ${r.before === null ? '—' : name(r.before)} → ${r.after === null ? '—' : name(r.after)}`)
    .join('; ');
}
