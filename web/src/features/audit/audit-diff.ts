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

export const ACTION_LABELS: Record<string, string> = {
  'measure.created': 'Measure created',
  'measure.updated': 'Measure updated',
  'measure.values.set': 'Monthly values set',
  'milestone.added': 'Milestone added',
  'milestone.completed': 'Milestone completed',
  'evidence.added': 'Evidence added',
  'comment.added': 'Comment added',
  'gate.requested': 'Gate requested',
  'gate.decided': 'Gate decided',
  'gate.withdrawn': 'Gate request withdrawn',
  'condition.met': 'Condition met',
  'gateReview.created': 'Gate review created',
  'measure.potentialValidated': 'Potential validated',
  'measure.signedOff': 'Signed off',
  'measure.reopened': 'Reopened',
  'measure.movedBack': 'Moved back',
  'measure.resumed': 'Resumed',
  'gateTemplate.updated': 'Gate template updated',
  'organisation.settingsUpdated': 'Settings updated',
  'organisation.created': 'Organisation created',
  'orgUnit.created': 'Org unit created',
  'program.created': 'Program created',
  'measurePackage.created': 'Package created',
  'user.created': 'User created',
  'role.granted': 'Role granted',
  'role.revoked': 'Role revoked',
  'session.started': 'Signed in',
  'session.ended': 'Signed out',
};

export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;
