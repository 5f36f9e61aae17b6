import { IMPLEMENTATION_WINDOW_DAYS } from '@gatehouse/shared';

/**
 * The status rules of `@gatehouse/shared/status-rules` as SQL, for filters and rollups over many measures.
 * `measure-status.sql.test.ts` checks that both give the same answer. `m` is the measure, `o` its organisation.
 */
export const IMPLEMENTATION_STATUS_SQL = `(CASE
  WHEN m.implementation_status_override IS NOT NULL THEN m.implementation_status_override
  WHEN m.next_due_on IS NULL THEN 'GREEN'
  WHEN m.next_due_on < now() - interval '${IMPLEMENTATION_WINDOW_DAYS} days' THEN 'RED'
  WHEN m.next_due_on <= now() + interval '${IMPLEMENTATION_WINDOW_DAYS} days' THEN 'AMBER'
  ELSE 'GREEN' END)`;

export const POTENTIAL_STATUS_SQL = `(CASE
  WHEN m.potential_status_override IS NOT NULL THEN m.potential_status_override
  WHEN m.plan_total <= 0 THEN 'GREEN'
  WHEN m.forecast_total * 100 >= o.potential_green_percent * m.plan_total THEN 'GREEN'
  WHEN m.forecast_total * 100 >= o.potential_amber_percent * m.plan_total THEN 'AMBER'
  ELSE 'RED' END)`;

export const OVERDUE_SQL = `(m.next_due_on IS NOT NULL AND m.next_due_on < now())`;

/**
 * Recomputes a measure's denormalised totals from its values. The latest estimate of a month is its actual when
 * recorded, else its forecast, else its plan; the annual potential is the plan of the last twelve planned months
 * (the owner's rough potential while there is no plan).
 */
export const RECOMPUTE_TOTALS_SQL = `
  WITH per_month AS (
    SELECT month,
           max(amount) FILTER (WHERE kind = 'PLAN') AS plan,
           max(amount) FILTER (WHERE kind = 'FORECAST') AS forecast,
           max(amount) FILTER (WHERE kind = 'ACTUAL') AS actual,
           max(amount) FILTER (WHERE kind = 'ONE_OFF_COST') AS cost
      FROM measure_value WHERE measure_id = $1 GROUP BY month),
  totals AS (
    SELECT coalesce(sum(plan), 0) AS plan,
           coalesce(sum(coalesce(actual, forecast, plan)), 0) AS latest,
           coalesce(sum(actual), 0) AS actual,
           coalesce(sum(cost), 0) AS cost,
           count(plan) AS plan_months,
           (SELECT coalesce(sum(plan), 0) FROM (SELECT plan FROM per_month WHERE plan IS NOT NULL
              ORDER BY month DESC LIMIT 12) last12) AS run_rate
      FROM per_month)
  UPDATE measure m SET plan_total = t.plan, forecast_total = t.latest, actual_total = t.actual,
         one_off_cost_total = t.cost,
         annual_potential = CASE WHEN t.plan_months > 0 THEN t.run_rate ELSE coalesce(m.rough_potential, 0) END
    FROM totals t WHERE m.id = $1`;

/**
 * The earliest open due date: an open milestone, the planned date of the next gate, or an open condition of
 * the last gate. Closed and cancelled measures have nothing due.
 */
export const RECOMPUTE_NEXT_DUE_SQL = `
  UPDATE measure m SET next_due_on = CASE WHEN m.state IN ('ACTIVE', 'ON_HOLD') THEN least(
      (SELECT min(due_on) FROM milestone WHERE measure_id = m.id AND done_on IS NULL),
      CASE WHEN m.doi < 5 THEN m.next_gate_due_on END,
      (SELECT min(due_on) FROM gate_condition WHERE measure_id = m.id AND met_at IS NULL)) END
   WHERE m.id = $1`;
