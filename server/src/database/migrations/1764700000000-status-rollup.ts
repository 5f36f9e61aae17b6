import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last scan of the portfolio summary, the status distribution and the overdue count, as a rollup: for every
 * node of the hierarchy, the active and on-hold measures counted by implementation-status override, next due
 * day and potential status. Implementation Status and "overdue" depend on today, so they are not stored: the
 * summary derives them from the due times of the rollup's rows (due dates repeat: a few thousand rows where
 * there are 50,000 measures) instead of from every measure. Potential
 * Status depends on the organisation's thresholds, so a change of those re-counts its measures (a trigger on
 * organisation), like every other change, inside the database.
 *
 * The potential rule below is the one of measure-status.sql.ts as of this migration; a test compares the rollup
 * with a full scan through the live rule, so the two cannot drift apart unnoticed.
 */
export class StatusRollup1764700000000 implements MigrationInterface {
  name = 'StatusRollup1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scope_status_rollup (
        scope_id uuid NOT NULL,
        -- '' when there is no override, 'infinity' when nothing is due: key columns cannot be null.
        impl_override text NOT NULL,
        next_due_on timestamptz NOT NULL,
        potential_status text NOT NULL,
        count integer NOT NULL DEFAULT 0,
        PRIMARY KEY (scope_id, impl_override, next_due_on, potential_status)
      )`);

    /** Active and on-hold measures of `rows` with organisation `org`, each counted `sign`1 on every scope of its path. */
    const statusRows = (rows: string, org: string, sign: string) => `
      SELECT m.path, coalesce(m.implementation_status_override, '') AS impl_override, coalesce(m.next_due_on, 'infinity') AS next_due_on,
             CASE WHEN m.potential_status_override IS NOT NULL THEN m.potential_status_override
                  WHEN m.plan_total <= 0 THEN 'GREEN'
                  WHEN m.forecast_total * 100 >= o.potential_green_percent * m.plan_total THEN 'GREEN'
                  WHEN m.forecast_total * 100 >= o.potential_amber_percent * m.plan_total THEN 'AMBER'
                  ELSE 'RED' END AS potential_status,
             ${sign}1 AS n
        FROM ${rows} m JOIN ${org} o ON o.id = m.organisation_id
       WHERE m.state IN ('ACTIVE', 'ON_HOLD')`;
    const apply = (rows: string) => `
      INSERT INTO scope_status_rollup AS r (scope_id, impl_override, next_due_on, potential_status, count)
      SELECT s.scope_id, d.impl_override, d.next_due_on, d.potential_status, sum(d.n)
        FROM (${rows}) d CROSS JOIN LATERAL unnest(d.path) AS s(scope_id)
       GROUP BY 1, 2, 3, 4
      HAVING sum(d.n) <> 0
       ORDER BY 1, 2, 3, 4
      ON CONFLICT (scope_id, impl_override, next_due_on, potential_status) DO UPDATE SET count = r.count + EXCLUDED.count`;
    const trigger = async (name: string, table: string, event: string, transitions: string, body: string) => {
      await q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$`);
      await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`);
    };
    await trigger('status_rollup_measure_insert', 'measure', 'INSERT', 'NEW TABLE AS new_rows', apply(statusRows('new_rows', 'organisation', '')));
    await trigger('status_rollup_measure_delete', 'measure', 'DELETE', 'OLD TABLE AS old_rows', apply(statusRows('old_rows', 'organisation', '-')));
    await trigger(
      'status_rollup_measure_update',
      'measure',
      'UPDATE',
      'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      apply(`${statusRows('new_rows', 'organisation', '')} UNION ALL ${statusRows('old_rows', 'organisation', '-')}`),
    );
    // New thresholds: every measure of the organisation moves from its status under the old ones to the new.
    const changedOrg = (rows: string) =>
      `(SELECT n.* FROM ${rows} n JOIN old_rows o ON o.id = n.id JOIN new_rows x ON x.id = n.id
         WHERE (x.potential_green_percent, x.potential_amber_percent) IS DISTINCT FROM (o.potential_green_percent, o.potential_amber_percent))`;
    await trigger(
      'status_rollup_organisation_update',
      'organisation',
      'UPDATE',
      'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      apply(`${statusRows('measure', changedOrg('new_rows'), '')} UNION ALL ${statusRows('measure', changedOrg('old_rows'), '-')}`),
    );

    // What exists already.
    await q.query(apply(statusRows('measure', 'organisation', '')));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, table] of [
      ['status_rollup_measure_insert', 'measure'],
      ['status_rollup_measure_update', 'measure'],
      ['status_rollup_measure_delete', 'measure'],
      ['status_rollup_organisation_update', 'organisation'],
    ]) {
      await q.query(`DROP TRIGGER ${name} ON ${table}`);
      await q.query(`DROP FUNCTION ${name}()`);
    }
    await q.query(`DROP TABLE scope_status_rollup`);
  }
}
