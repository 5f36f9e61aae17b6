/**
 * Drafts over server state: what the person typed (`values`) on top of the server state they started from
 * (`base`). When newer server state arrives, the draft is rebased onto it: fields the person changed keep their
 * input, every other field takes the newer value. Nothing typed is ever lost; where both sides changed a field,
 * the newer server value is reported as a collision so the page can show it beside the input.
 */
export type DraftRecord = Record<string, string>;
export type SameValue = (key: string, a: string, b: string) => boolean;

export const strictSame: SameValue = (_key, a, b) => a === b;

export interface RebaseResult {
  values: DraftRecord;
  base: DraftRecord;
  /** Field -> the newer server value, where the person's input differs from it and from what they started with. */
  collisions: DraftRecord;
  /** Fields the server changed that the person had not touched: they now show the newer value. */
  updated: string[];
}

const get = (r: DraftRecord, k: string) => r[k] ?? '';

export function dirtyKeys(base: DraftRecord, values: DraftRecord, same: SameValue = strictSame): string[] {
  const keys = new Set([...Object.keys(base), ...Object.keys(values)]);
  return [...keys].filter((k) => !same(k, get(values, k), get(base, k))).sort();
}

export function rebaseDraft(base: DraftRecord, mine: DraftRecord, latest: DraftRecord, same: SameValue = strictSame): RebaseResult {
  const values: DraftRecord = {};
  const collisions: DraftRecord = {};
  const updated: string[] = [];
  const keys = new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(latest)]);
  for (const k of [...keys].sort()) {
    const started = get(base, k);
    const typed = get(mine, k);
    const newer = get(latest, k);
    if (!same(k, typed, started)) {
      values[k] = typed;
      if (!same(k, newer, started) && !same(k, newer, typed)) collisions[k] = newer;
    } else {
      values[k] = newer;
      if (!same(k, newer, started)) updated.push(k);
    }
  }
  return { values, base: { ...latest }, collisions, updated };
}
