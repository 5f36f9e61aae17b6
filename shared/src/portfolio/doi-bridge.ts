import { centsToMoney, moneyToCents, percentOfMoney, type Money } from '../money.js';
import { MeasureState } from '../measure-enums.js';

/** A measure as it stood at a date: its DoI, state and value (annual potential). */
export interface MeasureAt {
  doi: number;
  state: MeasureState | string;
  value: Money;
}

export interface BridgeInput {
  measureId: string;
  start: MeasureAt | null;
  end: MeasureAt | null;
}

export type MovementKind = 'NEW' | 'ADVANCED' | 'CLOSED' | 'MOVED_BACK' | 'STOPPED' | 'VALUE_CHANGE';
export const MOVEMENT_KINDS: readonly MovementKind[] = ['NEW', 'ADVANCED', 'CLOSED', 'MOVED_BACK', 'STOPPED', 'VALUE_CHANGE'];

export interface BridgeLevelTotal {
  doi: number;
  count: number;
  value: Money;
  riskWeighted: Money;
}

export interface BridgeMovementTotal {
  kind: MovementKind;
  count: number;
  value: Money;
  riskWeighted: Money;
  measureIds: string[];
}

export interface BridgeResult {
  start: BridgeLevelTotal[];
  end: BridgeLevelTotal[];
  startValue: Money;
  endValue: Money;
  startRiskWeighted: Money;
  endRiskWeighted: Money;
  movements: BridgeMovementTotal[];
}

const counts = (m: MeasureAt | null): m is MeasureAt => m !== null && m.state !== MeasureState.CANCELLED;

/**
 * The DoI bridge. Cancelled measures carry no value. Every measure's change is split so the waterfall
 * reconciles to the cent: start + movements = end, unweighted and risk-weighted (each measure's weighted value
 * is rounded once, and its movements telescope between those rounded figures).
 */
export function computeDoiBridge(rows: readonly BridgeInput[], weights: readonly number[]): BridgeResult {
  const weight = (doi: number) => weights[doi - 1] ?? 0;
  const weighted = (value: Money, doi: number) => moneyToCents(percentOfMoney(value, weight(doi)));
  const levels = () => [1, 2, 3, 4, 5].map((doi) => ({ doi, count: 0, value: 0n, riskWeighted: 0n }));
  const start = levels();
  const end = levels();
  const moves = new Map<MovementKind, { count: number; value: bigint; riskWeighted: bigint; measureIds: string[] }>(
    MOVEMENT_KINDS.map((k) => [k, { count: 0, value: 0n, riskWeighted: 0n, measureIds: [] }]),
  );
  const move = (kind: MovementKind, id: string, value: bigint, riskWeighted: bigint) => {
    const m = moves.get(kind)!;
    if (!m.measureIds.includes(id)) {
      m.count++;
      m.measureIds.push(id);
    }
    m.value += value;
    m.riskWeighted += riskWeighted;
  };

  for (const row of rows) {
    const s = counts(row.start) ? row.start : null;
    const e = counts(row.end) ? row.end : null;
    if (s) {
      const l = start[s.doi - 1];
      l.count++;
      l.value += moneyToCents(s.value);
      l.riskWeighted += weighted(s.value, s.doi);
    }
    if (e) {
      const l = end[e.doi - 1];
      l.count++;
      l.value += moneyToCents(e.value);
      l.riskWeighted += weighted(e.value, e.doi);
    }
    if (!s && e) move('NEW', row.measureId, moneyToCents(e.value), weighted(e.value, e.doi));
    else if (s && !e) move('STOPPED', row.measureId, -moneyToCents(s.value), -weighted(s.value, s.doi));
    else if (s && e) {
      if (e.doi !== s.doi) {
        const kind: MovementKind = e.doi < s.doi ? 'MOVED_BACK' : e.state === MeasureState.CLOSED && s.state !== MeasureState.CLOSED ? 'CLOSED' : 'ADVANCED';
        move(kind, row.measureId, 0n, weighted(s.value, e.doi) - weighted(s.value, s.doi));
      }
      const delta = moneyToCents(e.value) - moneyToCents(s.value);
      if (delta !== 0n) move('VALUE_CHANGE', row.measureId, delta, weighted(e.value, e.doi) - weighted(s.value, e.doi));
    }
  }

  const out = (l: { doi: number; count: number; value: bigint; riskWeighted: bigint }): BridgeLevelTotal => ({
    doi: l.doi,
    count: l.count,
    value: centsToMoney(l.value),
    riskWeighted: centsToMoney(l.riskWeighted),
  });
  const sum = (ls: typeof start, key: 'value' | 'riskWeighted') => centsToMoney(ls.reduce((a, l) => a + l[key], 0n));
  return {
    start: start.map(out),
    end: end.map(out),
    startValue: sum(start, 'value'),
    endValue: sum(end, 'value'),
    startRiskWeighted: sum(start, 'riskWeighted'),
    endRiskWeighted: sum(end, 'riskWeighted'),
    movements: MOVEMENT_KINDS.map((kind) => {
      const m = moves.get(kind)!;
      return { kind, count: m.count, value: centsToMoney(m.value), riskWeighted: centsToMoney(m.riskWeighted), measureIds: m.measureIds };
    }),
  };
}
