import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ticket scope: admins map the desk's assignment groups and requesting units to org units
 * (ticket_scope_mapping); each ticket stores the org unit it belongs to (null: the organisation), so reads
 * filter by the reader's scope in SQL. Existing tickets start unmapped, which is what they were: the
 * organisation's.
 */
export class TicketScope1765850000000 implements MigrationInterface {
  name = 'TicketScope1765850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_scope_mapping (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        field text NOT NULL CHECK (field IN ('ASSIGNMENT_GROUP','REQUESTING_UNIT')),
        value text NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
        org_unit_id uuid NOT NULL REFERENCES org_unit(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One org unit per desk value: compared trimmed and case-insensitively, as ticketScopeKey does.
    await q.query(`CREATE UNIQUE INDEX ticket_scope_mapping_key ON ticket_scope_mapping (organisation_id, field, lower(btrim(value)))`);
    await q.query(`ALTER TABLE ticket ADD COLUMN org_unit_id uuid REFERENCES org_unit(id)`);
    await q.query(`CREATE INDEX ticket_org_unit_idx ON ticket (organisation_id, org_unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket_org_unit_idx`);
    await q.query(`ALTER TABLE ticket DROP COLUMN org_unit_id`);
    await q.query(`DROP TABLE ticket_scope_mapping`);
  }
}
