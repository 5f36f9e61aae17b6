import { centsToMoney, computeDoiBridge, DOI_NAMES, moneyToCents, percentOfMoney, sumMoney, type Doi, type MeasureState, type Status } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { badInput, forbidden } from '../../common/domain-error.js';
import { validDate } from '../../common/validate.js';
import {
  grantedScopeIds,
  navigableScopeIds,
  type Actor,
  canRead,
  requireScope,
  type ScopeNode,
} from '../access/index.js';
import { IMPLEMENTATION_STATUS_SQL, OVERDUE_SQL, POTENTIAL_STATUS_SQL } from '../measures/index.js';
import type { DoiBridge, PortfolioSummary } from './portfolio.types.js';

/** Measures in scope that the caller may read; $1 organisation, $2 scope id, $3 granted scopes, $4 caller. */
const VISIBLE_IN_SCOPE = `m.organisation_id = $1 AND m.path @> ARRAY[CAST($2 AS uuid)]
  AND (m.path && CAST($3 AS uuid[]) OR m.owner_id = $4 OR m.sponsor_id = $4 OR m.controller_id = $4)`;

/**
 * Portfolio rollups for any node of the hierarchy: value by DoI (plain and risk-weighted), statuses, value by
 * month, overdue items, pending decisions; and the DoI bridge between two dates.
 */
export class PortfolioService {
  constructor(private readonly dataSource: DataSource) {}

  /** The node to roll up: the one asked for (readable, or on the way to the caller's grants), else the organisation. */
  async resolveScope(actor: Actor, scopeId?: string | null): Promise<ScopeNode> {
    const scope = await requireScope(this.dataSource.manager, scopeId ?? actor.organisation.id, actor.organisation.id);
    if (!canRead(actor, scope.path) && !navigableScopeIds(actor).has(scope.id)) throw forbidden('This part of the organisation is outside your roles');
    return scope;
  }

  async summary(actor: Actor, scopeId?: string | null): Promise<PortfolioSummary> {
    const scope = await this.resolveScope(actor, scopeId);
    const params = [actor.organisation.id, scope.id, grantedScopeIds(actor), actor.userId];
    // Whoever holds a role on the scope (or above) reads everything below it: the maintained rollups answer.
    // Anyone else sees only part of it, so their figures come from the measures they may read.
    const whole = canRead(actor, scope.path);
    const [byDoi, statuses, months, [pending]] = await Promise.all([
      (whole
        ? this.dataSource.query(
            `SELECT doi, state, count, plan, forecast, actual, potential, cost FROM scope_doi_rollup WHERE scope_id = $1 AND count > 0`,
            [scope.id],
          )
        : this.dataSource.query(
            `SELECT m.doi, m.state, count(*)::int AS count, sum(m.plan_total) AS plan, sum(m.forecast_total) AS forecast,
                    sum(m.actual_total) AS actual, sum(m.annual_potential) AS potential, sum(m.one_off_cost_total) AS cost
               FROM measure m WHERE ${VISIBLE_IN_SCOPE} GROUP BY m.doi, m.state`,
            params,
          )) as Promise<{ doi: number; state: MeasureState; count: number; plan: string; forecast: string; actual: string; potential: string; cost: string }[]>,
      (whole
        ? // Today's statuses from the rollup's due times: the same rules, over far fewer rows than measures.
          this.dataSource.query(
            `SELECT ${IMPLEMENTATION_STATUS_SQL} AS impl, m.potential_status AS pot, sum(m.count)::int AS count,
                    coalesce(sum(m.count) FILTER (WHERE ${OVERDUE_SQL}), 0)::int AS overdue
               FROM (SELECT nullif(impl_override, '') AS implementation_status_override,
                            CASE WHEN next_due_on = 'infinity' THEN NULL ELSE next_due_on END AS next_due_on, potential_status, count
                       FROM scope_status_rollup WHERE scope_id = $1 AND count > 0) m
              GROUP BY 1, 2`,
            [scope.id],
          )
        : this.dataSource.query(
            `SELECT ${IMPLEMENTATION_STATUS_SQL} AS impl, ${POTENTIAL_STATUS_SQL} AS pot, count(*)::int AS count,
                    count(*) FILTER (WHERE ${OVERDUE_SQL})::int AS overdue
               FROM measure m JOIN organisation o ON o.id = m.organisation_id
              WHERE ${VISIBLE_IN_SCOPE} AND m.state IN ('ACTIVE', 'ON_HOLD') GROUP BY 1, 2`,
            params,
          )) as Promise<{ impl: Status; pot: Status; count: number; overdue: number }[]>,
      (whole
        ? this.dataSource.query(
            `SELECT to_char(month, 'YYYY-MM') AS month, plan, forecast, actual FROM scope_month_rollup
              WHERE scope_id = $1 AND (plan <> 0 OR forecast <> 0 OR actual <> 0) ORDER BY month`,
            [scope.id],
          )
        : this.dataSource.query(
            `SELECT to_char(v.month, 'YYYY-MM') AS month,
                    coalesce(sum(v.amount) FILTER (WHERE v.kind = 'PLAN'), 0) AS plan,
                    coalesce(sum(v.amount) FILTER (WHERE v.kind = 'FORECAST'), 0) AS forecast,
                    coalesce(sum(v.amount) FILTER (WHERE v.kind = 'ACTUAL'), 0) AS actual
               FROM measure_value v JOIN measure m ON m.id = v.measure_id
              WHERE ${VISIBLE_IN_SCOPE} AND m.state <> 'CANCELLED' AND v.kind <> 'ONE_OFF_COST'
              GROUP BY v.month HAVING bool_or(v.amount <> 0) ORDER BY v.month`,
            params,
          )) as Promise<{ month: string; plan: string; forecast: string; actual: string }[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS count FROM gate_request r JOIN measure m ON m.id = r.measure_id
          WHERE ${VISIBLE_IN_SCOPE} AND r.status = 'PENDING'`,
        params,
      ) as Promise<{ count: number }[]>,
    ]);

    const weights = actor.organisation.doiWeights;
    const counted = byDoi.filter((r) => r.state !== 'CANCELLED');
    const levels = ([1, 2, 3, 4, 5] as Doi[]).map((doi) => {
      const rows = counted.filter((r) => r.doi === doi);
      const plan = sumMoney(rows.map((r) => r.plan));
      const potential = sumMoney(rows.map((r) => r.potential));
      return {
        doi,
        name: DOI_NAMES[doi],
        count: rows.reduce((a, r) => a + r.count, 0),
        plan,
        forecast: sumMoney(rows.map((r) => r.forecast)),
        actual: sumMoney(rows.map((r) => r.actual)),
        annualPotential: potential,
        weight: weights[doi - 1],
        riskWeightedPlan: percentOfMoney(plan, weights[doi - 1]),
        riskWeightedPotential: percentOfMoney(potential, weights[doi - 1]),
        oneOffCost: sumMoney(rows.map((r) => r.cost)),
      };
    });
    const tally = <K extends string>(key: 'impl' | 'pot', all: K[]) =>
      all.map((status) => ({ status, count: statuses.filter((s) => s[key] === status).reduce((a, s) => a + s.count, 0) }));
    const states = ['ACTIVE', 'ON_HOLD', 'CANCELLED', 'CLOSED'] as MeasureState[];
    return {
      scopeId: scope.id,
      scopeName: scope.name,
      currency: actor.organisation.currency,
      measureCount: byDoi.reduce((a, r) => a + r.count, 0),
      byDoi: levels,
      totalPlan: sumMoney(levels.map((l) => l.plan)),
      totalForecast: sumMoney(levels.map((l) => l.forecast)),
      totalActual: sumMoney(levels.map((l) => l.actual)),
      totalRiskWeightedPlan: sumMoney(levels.map((l) => l.riskWeightedPlan)),
      totalAnnualPotential: sumMoney(levels.map((l) => l.annualPotential)),
      totalRiskWeightedPotential: sumMoney(levels.map((l) => l.riskWeightedPotential)),
      cancelledCount: byDoi.filter((r) => r.state === 'CANCELLED').reduce((a, r) => a + r.count, 0),
      byImplementationStatus: tally('impl', ['GREEN', 'AMBER', 'RED'] as Status[]),
      byPotentialStatus: tally('pot', ['GREEN', 'AMBER', 'RED'] as Status[]),
      byState: states.map((state) => ({ state, count: byDoi.filter((r) => r.state === state).reduce((a, r) => a + r.count, 0) })),
      valueByMonth: months.map((m) => ({ month: m.month, plan: norm(m.plan), forecast: norm(m.forecast), actual: norm(m.actual) })),
      overdueCount: statuses.reduce((a, s) => a + s.overdue, 0),
      pendingGateRequests: pending.count,
      generatedAt: new Date(),
    };
  }

  async doiBridge(actor: Actor, scopeId: string | null | undefined, from: Date, to: Date): Promise<DoiBridge> {
    validDate(from, 'from');
    validDate(to, 'to');
    if (from.getTime() > to.getTime()) throw badInput('from must not be after to', { field: 'from' });
    const scope = await this.resolveScope(actor, scopeId);
    const params = [actor.organisation.id, scope.id, grantedScopeIds(actor), actor.userId, from, to];
    const atDate = (p: string) => `
      SELECT DISTINCT ON (h.measure_id) h.measure_id, h.doi, h.state, h.value
        FROM measure_history h JOIN measure m ON m.id = h.measure_id
       WHERE ${VISIBLE_IN_SCOPE} AND h.at <= ${p}
       ORDER BY h.measure_id, h.at DESC, h.id DESC`;
    const rows: { id: string; sdoi: number | null; sstate: string | null; svalue: string | null; edoi: number | null; estate: string | null; evalue: string | null }[] =
      await this.dataSource.query(
        `WITH s AS (${atDate('$5')}), e AS (${atDate('$6')})
         SELECT coalesce(s.measure_id, e.measure_id) AS id, s.doi AS sdoi, s.state AS sstate, s.value AS svalue,
                e.doi AS edoi, e.state AS estate, e.value AS evalue
           FROM s FULL JOIN e ON e.measure_id = s.measure_id`,
        params,
      );
    const bridge = computeDoiBridge(
      rows.map((r) => ({
        measureId: r.id,
        start: r.sdoi === null ? null : { doi: r.sdoi, state: r.sstate!, value: norm(r.svalue!) },
        end: r.edoi === null ? null : { doi: r.edoi, state: r.estate!, value: norm(r.evalue!) },
      })),
      actor.organisation.doiWeights,
    );
    return { scopeId: scope.id, from, to, ...bridge };
  }
}

/** numeric comes back as "12.5" or "12.50"; the API always answers two fraction digits. */
function norm(value: string): string {
  return centsToMoney(moneyToCents(value.includes('.') ? value.replace(/(\.\d\d)\d*$/, '$1') : value));
}
