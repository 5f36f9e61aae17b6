import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { POTENTIAL_STATUS_SQL } from '../modules/measures/index.js';

/** The portfolio rollups as a full scan would compute them, for every scope. */
export async function scannedRollups(ds: DataSource) {
  const doi = await ds.query(`
    SELECT s.scope_id, m.doi, m.state, count(*)::int AS count, sum(m.plan_total)::text AS plan, sum(m.forecast_total)::text AS forecast,
           sum(m.actual_total)::text AS actual, sum(m.annual_potential)::text AS potential, sum(m.one_off_cost_total)::text AS cost
      FROM measure m CROSS JOIN LATERAL unnest(m.path) AS s(scope_id) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  const months = await ds.query(`
    SELECT s.scope_id, v.month::text AS month, sum(v.amount) FILTER (WHERE v.kind = 'PLAN')::text AS plan,
           coalesce(sum(v.amount) FILTER (WHERE v.kind = 'FORECAST'), 0)::text AS forecast, coalesce(sum(v.amount) FILTER (WHERE v.kind = 'ACTUAL'), 0)::text AS actual
      FROM measure_value v JOIN measure m ON m.id = v.measure_id CROSS JOIN LATERAL unnest(m.path) AS s(scope_id)
     WHERE m.state <> 'CANCELLED' AND v.kind <> 'ONE_OFF_COST' GROUP BY 1, 2 ORDER BY 1, 2`);
  // Through the live potential rule: the rollup's trigger holds a copy of it.
  const status = await ds.query(`
    SELECT s.scope_id, coalesce(m.implementation_status_override, '') AS impl_override, coalesce(m.next_due_on, 'infinity')::text AS next_due_on,
           ${POTENTIAL_STATUS_SQL} AS potential_status, count(*)::int AS count
      FROM measure m JOIN organisation o ON o.id = m.organisation_id CROSS JOIN LATERAL unnest(m.path) AS s(scope_id)
     WHERE m.state IN ('ACTIVE', 'ON_HOLD') GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  return { doi, months, status };
}

export async function maintainedRollups(ds: DataSource) {
  const doi = await ds.query(`
    SELECT scope_id, doi, state, count, plan::text, forecast::text, actual::text, potential::text, cost::text
      FROM scope_doi_rollup WHERE count <> 0 ORDER BY 1, 2, 3`);
  const months = await ds.query(`
    SELECT scope_id, month::text AS month, plan::text, forecast::text, actual::text FROM scope_month_rollup
     WHERE plan <> 0 OR forecast <> 0 OR actual <> 0 ORDER BY 1, 2`);
  const status = await ds.query(`
    SELECT scope_id, impl_override, next_due_on::text, potential_status, count FROM scope_status_rollup WHERE count <> 0 ORDER BY 1, 2, 3, 4`);
  return { doi, months, status };
}

export const norm = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v).toFixed(2) : v])));

/** Both, in the shape the rollup tests compare: months without any amount are left out of the scan as of the rollup. */
export async function rollupsAgainstScan(ds: DataSource) {
  const s = await scannedRollups(ds);
  const m = await maintainedRollups(ds);
  const some = (x: any) => Number(x.plan ?? 0) !== 0 || Number(x.forecast) !== 0 || Number(x.actual) !== 0;
  return {
    maintained: { doi: norm(m.doi), months: norm(m.months), status: m.status },
    scanned: { doi: norm(s.doi), months: norm(s.months.filter(some)), status: s.status },
  };
}
