import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The import now tells a changed ticket from an unchanged one by comparing its content columns in the UPDATE
 * itself, so the per-ticket content hash (SHA-256 of its canonical JSON, computed in JavaScript for every row)
 * is no longer kept.
 */
export class TicketContentCompared1764600000000 implements MigrationInterface {
  name = 'TicketContentCompared1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP COLUMN content_hash`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The hashes cannot be recomputed in SQL as the import made them; an empty one makes the next import of
    // a ticket at the same revision count as an update, which is harmless.
    await q.query(`ALTER TABLE ticket ADD COLUMN content_hash text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE ticket ALTER COLUMN content_hash DROP DEFAULT`);
  }
}
