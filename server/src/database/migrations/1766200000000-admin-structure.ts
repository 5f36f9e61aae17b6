import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin area's structure editing: an org unit can be archived once empty (its name is free again), a program
 * has an owner, and moving a node keeps the month rollup right. The DoI and status rollups follow a measure's
 * path through their update triggers already (old path out, new path in); the month rollup's values are joined
 * from the measure, so a statement that changes measures' paths shifts their values from the old path to the
 * new one here. Only measures that counted before (not cancelled) are shifted: the cancellation trigger accounts
 * for a measure leaving or re-entering the portfolio on its new path in the same statement.
 */
export class AdminStructure1766200000000 implements MigrationInterface {
  name = 'AdminStructure1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_unit ADD COLUMN archived_at timestamptz`);
    await q.query(`DROP INDEX org_unit_name_key`);
    await q.query(`CREATE UNIQUE INDEX org_unit_name_key ON org_unit
      (organisation_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name)) WHERE archived_at IS NULL`);
    await q.query(`ALTER TABLE program ADD COLUMN owner_id uuid REFERENCES app_user(id)`);
    const moved = (path: string, sign: string) => `
      SELECT ${path} AS path, v.month, v.kind, ${sign}v.amount AS amount
        FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN measure_value v ON v.measure_id = n.id
       WHERE o.state <> 'CANCELLED' AND n.path <> o.path`;
    await q.query(`CREATE FUNCTION rollup_measure_path_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO scope_month_rollup AS r (scope_id, month, plan, forecast, actual)
      SELECT s.scope_id, d.month,
             sum(CASE WHEN d.kind = 'PLAN' THEN d.amount ELSE 0 END),
             sum(CASE WHEN d.kind = 'FORECAST' THEN d.amount ELSE 0 END),
             sum(CASE WHEN d.kind = 'ACTUAL' THEN d.amount ELSE 0 END)
        FROM (${moved('n.path', '')} UNION ALL ${moved('o.path', '-')}) d CROSS JOIN LATERAL unnest(d.path) AS s(scope_id)
       WHERE d.kind <> 'ONE_OFF_COST'
       GROUP BY s.scope_id, d.month ORDER BY s.scope_id, d.month
      ON CONFLICT (scope_id, month) DO UPDATE SET plan = r.plan + EXCLUDED.plan, forecast = r.forecast + EXCLUDED.forecast,
         actual = r.actual + EXCLUDED.actual;
      RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER rollup_measure_path_update AFTER UPDATE ON measure
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_measure_path_update()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER rollup_measure_path_update ON measure`);
    await q.query(`DROP FUNCTION rollup_measure_path_update()`);
    await q.query(`ALTER TABLE program DROP COLUMN owner_id`);
    await q.query(`DROP INDEX org_unit_name_key`);
    await q.query(`CREATE UNIQUE INDEX org_unit_name_key ON org_unit
      (organisation_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);
    await q.query(`ALTER TABLE org_unit DROP COLUMN archived_at`);
  }
}
