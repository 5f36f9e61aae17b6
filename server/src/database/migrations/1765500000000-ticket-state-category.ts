import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports are imported as desks write them: two more desks (GLPI, Zendesk), a priority the importer does not
 * know kept as UNKNOWN with the desk's own text beside it (source_priority), and the category of the desk's
 * state (state_category) so that a ticket a desk calls done ("Fechado", Jira's Done category) counts as done
 * without a resolved or closed time. Existing tickets keep OPEN: their dates decided their openness before,
 * and still do.
 */
export class TicketStateCategory1765500000000 implements MigrationInterface {
  name = 'TicketStateCategory1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP CONSTRAINT ticket_source_check,
      ADD CONSTRAINT ticket_source_check CHECK (source IN ('SERVICENOW','JIRA','GLPI','ZENDESK','CSV'))`);
    await q.query(`ALTER TABLE ticket DROP CONSTRAINT ticket_priority_check,
      ADD CONSTRAINT ticket_priority_check CHECK (priority IN ('CRITICAL','HIGH','MODERATE','LOW','PLANNING','UNKNOWN'))`);
    await q.query(`ALTER TABLE ticket
      ADD COLUMN source_priority text,
      ADD COLUMN state_category text NOT NULL DEFAULT 'OPEN' CHECK (state_category IN ('OPEN','RESOLVED','CLOSED','UNKNOWN'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The old schema has no place for GLPI and Zendesk tickets nor for an unknown priority: those tickets go
    // (their groups' counts are recomputed by the next import or settings change), unknown priorities become
    // MODERATE, the default of every format.
    await q.query(`DELETE FROM ticket WHERE source IN ('GLPI','ZENDESK')`);
    await q.query(`UPDATE ticket SET priority = 'MODERATE' WHERE priority = 'UNKNOWN'`);
    await q.query(`ALTER TABLE ticket DROP COLUMN state_category, DROP COLUMN source_priority`);
    await q.query(`ALTER TABLE ticket DROP CONSTRAINT ticket_priority_check,
      ADD CONSTRAINT ticket_priority_check CHECK (priority IN ('CRITICAL','HIGH','MODERATE','LOW','PLANNING'))`);
    await q.query(`ALTER TABLE ticket DROP CONSTRAINT ticket_source_check,
      ADD CONSTRAINT ticket_source_check CHECK (source IN ('SERVICENOW','JIRA','CSV'))`);
  }
}
