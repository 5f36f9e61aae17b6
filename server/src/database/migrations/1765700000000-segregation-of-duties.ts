import type { MigrationInterface, QueryRunner } from 'typeorm';

const MEASURE_TOTALS = ['plan_total', 'forecast_total', 'actual_total', 'one_off_cost_total', 'annual_potential'];
const DOI_ROLLUP = ['plan', 'forecast', 'actual', 'potential', 'cost'];
const MONTH_ROLLUP = ['plan', 'forecast', 'actual'];

/**
 * Segregation of duties (PRODUCT.md) and totals that hold any sum of valid values.
 *
 * - `measure_actual_editor`: everyone who ever entered or changed an actual value of a measure, so none of them
 *   signs it off (the value table keeps only the latest editor of each month). Kept by statement triggers on
 *   `measure_value`, so every writer (the API, the demo seed, future imports) is covered in its own transaction.
 *   Backfilled from the values' editors and the audit trail's `measure.values.set` entries.
 * - `gate_review.chair_id`: the participant who may override failed criteria inside the review. Existing reviews
 *   get their creator (who needed the steering committee role to create them), added as a participant.
 * - Totals, rollups and the measures' value history widen from numeric(15,2)/(18,2) to numeric(30,2): one value holds at most 13 integer digits
 *   (shared/src/money.ts), and a sum of them must never overflow into an internal error.
 */
export class SegregationOfDuties1765700000000 implements MigrationInterface {
  name = 'SegregationOfDuties1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE measure_actual_editor (
        measure_id uuid NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        PRIMARY KEY (measure_id, user_id)
      )`);
    // Transition tables allow one event per trigger: inserts and updates (an upsert fires both) get one each.
    await q.query(`CREATE FUNCTION measure_actual_editor_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO measure_actual_editor (measure_id, user_id)
        SELECT DISTINCT n.measure_id, n.updated_by FROM new_rows n
         WHERE n.kind = 'ACTUAL' AND n.updated_by IS NOT NULL ORDER BY 1, 2
        ON CONFLICT DO NOTHING;
        RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION measure_actual_editor_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO measure_actual_editor (measure_id, user_id)
        SELECT DISTINCT n.measure_id, n.updated_by FROM new_rows n
          JOIN old_rows o ON o.measure_id = n.measure_id AND o.kind = n.kind AND o.month = n.month
         WHERE n.kind = 'ACTUAL' AND n.updated_by IS NOT NULL AND n.amount IS DISTINCT FROM o.amount ORDER BY 1, 2
        ON CONFLICT DO NOTHING;
        RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER measure_actual_editor_insert AFTER INSERT ON measure_value
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_actual_editor_insert()`);
    await q.query(`CREATE TRIGGER measure_actual_editor_update AFTER UPDATE ON measure_value
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_actual_editor_update()`);
    await q.query(`
      INSERT INTO measure_actual_editor (measure_id, user_id)
      SELECT measure_id, updated_by FROM measure_value WHERE kind = 'ACTUAL' AND updated_by IS NOT NULL
      UNION
      SELECT a.measure_id, a.actor_id FROM audit_entry a
       WHERE a.action = 'measure.values.set' AND a.measure_id IS NOT NULL AND a.actor_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM jsonb_object_keys(CASE WHEN jsonb_typeof(a.after) = 'object' THEN a.after ELSE '{}'::jsonb END) k
                      WHERE k LIKE 'ACTUAL:%')
         AND EXISTS (SELECT 1 FROM measure m WHERE m.id = a.measure_id)
      ON CONFLICT DO NOTHING`);

    await q.query(`ALTER TABLE gate_review ADD COLUMN chair_id uuid REFERENCES app_user(id)`);
    await q.query(`UPDATE gate_review SET chair_id = created_by`);
    await q.query(`INSERT INTO gate_review_participant (review_id, user_id) SELECT id, chair_id FROM gate_review ON CONFLICT DO NOTHING`);
    await q.query(`ALTER TABLE gate_review ALTER COLUMN chair_id SET NOT NULL`);

    await widen(q, 'measure', MEASURE_TOTALS, 'numeric(30,2)');
    await widen(q, 'scope_doi_rollup', DOI_ROLLUP, 'numeric(30,2)');
    await widen(q, 'scope_month_rollup', MONTH_ROLLUP, 'numeric(30,2)');
    // The history keeps each measure's annual potential, which is a sum too.
    await widen(q, 'measure_history', ['value'], 'numeric(30,2)');
  }

  async down(q: QueryRunner): Promise<void> {
    await widen(q, 'measure_history', ['value'], 'numeric(15,2)');
    await widen(q, 'scope_month_rollup', MONTH_ROLLUP, 'numeric(18,2)');
    await widen(q, 'scope_doi_rollup', DOI_ROLLUP, 'numeric(18,2)');
    await widen(q, 'measure', MEASURE_TOTALS, 'numeric(15,2)');
    await q.query(`ALTER TABLE gate_review DROP COLUMN chair_id`);
    await q.query(`DROP TRIGGER measure_actual_editor_update ON measure_value`);
    await q.query(`DROP TRIGGER measure_actual_editor_insert ON measure_value`);
    await q.query(`DROP FUNCTION measure_actual_editor_update()`);
    await q.query(`DROP FUNCTION measure_actual_editor_insert()`);
    await q.query(`DROP TABLE measure_actual_editor`);
  }
}

async function widen(q: QueryRunner, table: string, columns: string[], type: string): Promise<void> {
  await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} TYPE ${type}`).join(', ')}`);
}
