import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence files: a piece of evidence may carry a file (PDF, spreadsheet, image or text, up to 25 MB) instead of
 * or beside a link. What the list shows (name, sniffed type, size, SHA-256) sits on the evidence row; the bytes
 * sit in their own table, read only by the download, so listing evidence never loads a file. Both live in the
 * database, so backups, replicas and both database kinds carry them.
 */
export class EvidenceFiles1766400000000 implements MigrationInterface {
  name = 'EvidenceFiles1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evidence ADD COLUMN file_name text CHECK (length(file_name) BETWEEN 1 AND 255)`);
    await q.query(`ALTER TABLE evidence ADD COLUMN file_type text`);
    await q.query(`ALTER TABLE evidence ADD COLUMN file_size integer CHECK (file_size >= 0)`);
    await q.query(`ALTER TABLE evidence ADD COLUMN file_sha256 text CHECK (file_sha256 ~ '^[0-9a-f]{64}$')`);
    await q.query(`
      ALTER TABLE evidence ADD CONSTRAINT evidence_file_complete CHECK (
        (file_name IS NULL AND file_type IS NULL AND file_size IS NULL AND file_sha256 IS NULL)
        OR (file_name IS NOT NULL AND file_type IS NOT NULL AND file_size IS NOT NULL AND file_sha256 IS NOT NULL))`);
    await q.query(`
      CREATE TABLE evidence_file (
        evidence_id uuid PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
        content bytea NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_file`);
    await q.query(`ALTER TABLE evidence DROP CONSTRAINT evidence_file_complete`);
    for (const c of ['file_sha256', 'file_size', 'file_type', 'file_name']) await q.query(`ALTER TABLE evidence DROP COLUMN ${c}`);
  }
}
