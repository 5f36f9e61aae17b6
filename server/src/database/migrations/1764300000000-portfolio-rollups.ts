import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Portfolio rollups kept by the database itself: for every node of the hierarchy (organisation, org unit,
 * program, package), measures and value by DoI and state, and plan/forecast/actual by month. Statement-level
 * triggers with transition tables apply each statement's net change to every node on the measures' paths, so a
 * bulk insert of millions of values costs one aggregate, and no code path can forget to update them. Rows are
 * upserted in (scope, key) order so concurrent writers lock them in the same order and never deadlock.
 */
export class PortfolioRollups1764300000000 implements MigrationInterface {
  name = 'PortfolioRollups1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scope_doi_rollup (
        scope_id uuid NOT NULL,
        doi smallint NOT NULL,
        state text NOT NULL,
        count integer NOT NULL DEFAULT 0,
        plan numeric(18,2) NOT NULL DEFAULT 0,
        forecast numeric(18,2) NOT NULL DEFAULT 0,
        actual numeric(18,2) NOT NULL DEFAULT 0,
        potential numeric(18,2) NOT NULL DEFAULT 0,
        cost numeric(18,2) NOT NULL DEFAULT 0,
        PRIMARY KEY (scope_id, doi, state)
      )`);
    await q.query(`
      CREATE TABLE scope_month_rollup (
        scope_id uuid NOT NULL,
        month date NOT NULL,
        plan numeric(18,2) NOT NULL DEFAULT 0,
        forecast numeric(18,2) NOT NULL DEFAULT 0,
        actual numeric(18,2) NOT NULL DEFAULT 0,
        PRIMARY KEY (scope_id, month)
      )`);

    // Transition tables are visible only to statements in the trigger function itself (not to functions it
    // calls), so each trigger function holds its statement in full.
    const measureRows = (table: string, sign: string) =>
      `SELECT path, doi, state, ${sign}1 AS n, ${sign}plan_total AS plan, ${sign}forecast_total AS forecast, ${sign}actual_total AS actual,
              ${sign}annual_potential AS potential, ${sign}one_off_cost_total AS cost FROM ${table}`;
    const applyMeasures = (rows: string) => `
      INSERT INTO scope_doi_rollup AS r (scope_id, doi, state, count, plan, forecast, actual, potential, cost)
      SELECT s.scope_id, d.doi, d.state, sum(d.n), sum(d.plan), sum(d.forecast), sum(d.actual), sum(d.potential), sum(d.cost)
        FROM (${rows}) d CROSS JOIN LATERAL unnest(d.path) AS s(scope_id)
       GROUP BY s.scope_id, d.doi, d.state
       ORDER BY s.scope_id, d.doi, d.state
      ON CONFLICT (scope_id, doi, state) DO UPDATE SET count = r.count + EXCLUDED.count, plan = r.plan + EXCLUDED.plan,
         forecast = r.forecast + EXCLUDED.forecast, actual = r.actual + EXCLUDED.actual,
         potential = r.potential + EXCLUDED.potential, cost = r.cost + EXCLUDED.cost`;
    const applyValues = (rows: string) => `
      INSERT INTO scope_month_rollup AS r (scope_id, month, plan, forecast, actual)
      SELECT s.scope_id, d.month,
             sum(CASE WHEN d.kind = 'PLAN' THEN d.amount ELSE 0 END),
             sum(CASE WHEN d.kind = 'FORECAST' THEN d.amount ELSE 0 END),
             sum(CASE WHEN d.kind = 'ACTUAL' THEN d.amount ELSE 0 END)
        FROM (${rows}) d JOIN measure m ON m.id = d.measure_id AND m.state <> 'CANCELLED'
        CROSS JOIN LATERAL unnest(m.path) AS s(scope_id)
       WHERE d.kind <> 'ONE_OFF_COST'
       GROUP BY s.scope_id, d.month ORDER BY s.scope_id, d.month
      ON CONFLICT (scope_id, month) DO UPDATE SET plan = r.plan + EXCLUDED.plan, forecast = r.forecast + EXCLUDED.forecast,
         actual = r.actual + EXCLUDED.actual`;
    // Values follow their measure out of the portfolio when it is cancelled, and back when it returns.
    const cancelShift = applyValues(`
        SELECT v.measure_id, v.month, v.kind, v.amount * CASE WHEN n.state = 'CANCELLED' THEN -1 ELSE 1 END AS amount
          FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN measure_value v ON v.measure_id = n.id
         WHERE (n.state = 'CANCELLED') <> (o.state = 'CANCELLED')`).replace("AND m.state <> 'CANCELLED'", '');
    const trigger = async (name: string, table: string, event: string, transitions: string, body: string) => {
      await q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$`);
      await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`);
    };
    await trigger('rollup_measure_insert', 'measure', 'INSERT', 'NEW TABLE AS new_rows', applyMeasures(measureRows('new_rows', '')));
    await trigger('rollup_measure_delete', 'measure', 'DELETE', 'OLD TABLE AS old_rows', applyMeasures(measureRows('old_rows', '-')));
    await trigger(
      'rollup_measure_update',
      'measure',
      'UPDATE',
      'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      `${applyMeasures(`${measureRows('new_rows', '')} UNION ALL ${measureRows('old_rows', '-')}`)}; ${cancelShift}`,
    );
    await trigger('rollup_value_insert', 'measure_value', 'INSERT', 'NEW TABLE AS new_rows', applyValues('SELECT measure_id, month, kind, amount FROM new_rows'));
    await trigger('rollup_value_delete', 'measure_value', 'DELETE', 'OLD TABLE AS old_rows', applyValues('SELECT measure_id, month, kind, -amount AS amount FROM old_rows'));
    await trigger(
      'rollup_value_update',
      'measure_value',
      'UPDATE',
      'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      applyValues('SELECT measure_id, month, kind, amount FROM new_rows UNION ALL SELECT measure_id, month, kind, -amount FROM old_rows'),
    );

    // What exists already.
    await q.query(applyMeasures(measureRows('measure', '')));
    await q.query(applyValues('SELECT measure_id, month, kind, amount FROM measure_value'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, table] of [
      ['rollup_measure_insert', 'measure'],
      ['rollup_measure_update', 'measure'],
      ['rollup_measure_delete', 'measure'],
      ['rollup_value_insert', 'measure_value'],
      ['rollup_value_update', 'measure_value'],
      ['rollup_value_delete', 'measure_value'],
    ]) {
      await q.query(`DROP TRIGGER ${name} ON ${table}`);
      await q.query(`DROP FUNCTION ${name}()`);
    }
    await q.query(`DROP TABLE scope_month_rollup`);
    await q.query(`DROP TABLE scope_doi_rollup`);
  }
}
