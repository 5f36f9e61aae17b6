import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit chain, and a chain the application's role can only append to.
 *
 * - `audit_checkpoint`: the chain head (sequence number and hash) signed with an Ed25519 key kept outside the
 *   database. Append-only like the entries.
 * - The head is moved by the database, not by the application: `audit_chain_lock(org)` creates and locks it, and a
 *   trigger advances it after every insert of entries, refusing entries that do not continue it. So on PostgreSQL
 *   with separate roles (README "Database roles") the application needs only SELECT and INSERT on the audit tables;
 *   both functions are SECURITY DEFINER, running as the owner that created them.
 */
export class AuditCheckpoints1765600000000 implements MigrationInterface {
  name = 'AuditCheckpoints1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoint (
        id bigserial PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        seq bigint NOT NULL CHECK (seq > 0),
        hash text NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        UNIQUE (organisation_id, seq)
      )`);
    await q.query(`CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint
      FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await q.query(`CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);
    await q.query(`
      CREATE FUNCTION audit_chain_lock(org uuid) RETURNS TABLE (seq bigint, hash text)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO audit_chain_head (organisation_id, seq, hash) VALUES (org, 0, repeat('0', 64)) ON CONFLICT (organisation_id) DO NOTHING;
        RETURN QUERY SELECT h.seq, h.hash FROM audit_chain_head h WHERE h.organisation_id = org FOR UPDATE;
      END $$`);
    // One statement's entries of one organisation must follow the head without a gap, each linked to the one before.
    await q.query(`
      CREATE FUNCTION audit_chain_advance() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        r record;
      BEGIN
        FOR r IN SELECT a.organisation_id AS org, min(a.seq) AS first_seq, max(a.seq) AS last_seq, count(*) AS n FROM added a GROUP BY a.organisation_id LOOP
          PERFORM 1 FROM audit_chain_head h JOIN added f ON f.organisation_id = h.organisation_id AND f.seq = r.first_seq
            WHERE h.organisation_id = r.org AND h.seq = r.first_seq - 1 AND f.prev_hash = h.hash AND r.last_seq - r.first_seq + 1 = r.n;
          IF NOT FOUND OR EXISTS (SELECT 1 FROM added a JOIN added p ON p.organisation_id = a.organisation_id AND p.seq = a.seq - 1
                                   WHERE a.organisation_id = r.org AND a.prev_hash <> p.hash) THEN
            RAISE EXCEPTION 'audit entries must continue the chain head of organisation %', r.org USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          UPDATE audit_chain_head h SET seq = r.last_seq, hash = l.hash FROM added l
           WHERE h.organisation_id = r.org AND l.organisation_id = r.org AND l.seq = r.last_seq;
        END LOOP;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER audit_entry_advance_head AFTER INSERT ON audit_entry REFERENCING NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_advance()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_entry_advance_head ON audit_entry`);
    await q.query(`DROP FUNCTION audit_chain_advance()`);
    await q.query(`DROP FUNCTION audit_chain_lock(uuid)`);
    await q.query(`DROP TABLE audit_checkpoint`);
  }
}
