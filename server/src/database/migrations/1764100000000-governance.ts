import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance: gate templates (versioned), gate requests with their decisions and conditions, gate reviews,
 * evidence, comments, sign-offs, the DoI history the bridge reads, and the hash-chained, append-only audit trail.
 */
export class Governance1764100000000 implements MigrationInterface {
  name = 'Governance1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE measure
        ADD COLUMN next_gate_due_on timestamptz,
        ADD COLUMN potential_validated_at timestamptz,
        ADD COLUMN potential_validated_by uuid REFERENCES app_user(id),
        ADD COLUMN potential_validation_note text,
        ADD COLUMN closed_at timestamptz`);
    await q.query(`
      CREATE TABLE gate_template (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        version integer NOT NULL,
        definition jsonb NOT NULL,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organisation_id, version)
      )`);
    await q.query(`
      CREATE TABLE gate_review (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        scope_id uuid NOT NULL,
        scope_path uuid[] NOT NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        held_on timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX gate_review_scope_idx ON gate_review USING gin (scope_path)`);
    await q.query(`
      CREATE TABLE gate_review_participant (
        review_id uuid NOT NULL REFERENCES gate_review(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        PRIMARY KEY (review_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE gate_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        measure_id uuid NOT NULL REFERENCES measure(id),
        path uuid[] NOT NULL,
        from_doi smallint NOT NULL CHECK (from_doi BETWEEN 1 AND 4),
        to_doi smallint NOT NULL CHECK (to_doi = from_doi + 1),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN
          ('PENDING','APPROVED','APPROVED_WITH_CONDITIONS','REJECTED','REWORK','ON_HOLD','STOPPED','WITHDRAWN')),
        note text,
        requested_by uuid NOT NULL REFERENCES app_user(id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        review_id uuid REFERENCES gate_review(id),
        decision text CHECK (decision IN ('APPROVE','APPROVE_WITH_CONDITIONS','REJECT','REWORK','HOLD','STOP')),
        rationale text,
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        decided_in_review_id uuid REFERENCES gate_review(id),
        override boolean NOT NULL DEFAULT false,
        criteria jsonb,
        template_id uuid REFERENCES gate_template(id)
      )`);
    // At most one open request per measure: a second one is a CONFLICT, never a silent duplicate.
    await q.query(`CREATE UNIQUE INDEX gate_request_one_pending ON gate_request (measure_id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX gate_request_path_idx ON gate_request USING gin (path)`);
    await q.query(`CREATE INDEX gate_request_status_idx ON gate_request (organisation_id, status)`);
    await q.query(`CREATE INDEX gate_request_review_idx ON gate_request (review_id)`);
    await q.query(`
      CREATE TABLE gate_condition (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        gate_request_id uuid NOT NULL REFERENCES gate_request(id),
        measure_id uuid NOT NULL REFERENCES measure(id),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
        owner_id uuid NOT NULL REFERENCES app_user(id),
        due_on timestamptz NOT NULL,
        met_at timestamptz,
        met_by uuid REFERENCES app_user(id),
        met_note text
      )`);
    await q.query(`CREATE INDEX gate_condition_measure_idx ON gate_condition (measure_id) WHERE met_at IS NULL`);
    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        measure_id uuid NOT NULL REFERENCES measure(id),
        kind text NOT NULL CHECK (kind IN ('IMPLEMENTATION','VALUE','OTHER')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        url text CHECK (length(url) <= 2000),
        note text CHECK (length(note) <= 4000),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX evidence_measure_idx ON evidence (measure_id)`);
    await q.query(`
      CREATE TABLE measure_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        measure_id uuid NOT NULL REFERENCES measure(id),
        author_id uuid NOT NULL REFERENCES app_user(id),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX measure_comment_measure_idx ON measure_comment (measure_id, created_at)`);
    await q.query(`
      CREATE TABLE sign_off (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        measure_id uuid NOT NULL REFERENCES measure(id),
        controller_id uuid NOT NULL REFERENCES app_user(id),
        confirmed_value numeric(15,2) NOT NULL,
        evidence text NOT NULL,
        note text,
        signed_at timestamptz NOT NULL DEFAULT now(),
        reopened_at timestamptz,
        reopened_by uuid REFERENCES app_user(id),
        reopen_reason text
      )`);
    await q.query(`CREATE UNIQUE INDEX sign_off_one_active ON sign_off (measure_id) WHERE reopened_at IS NULL`);
    // Every change of a measure's DoI, state or value, so the DoI bridge can read the portfolio at any date.
    await q.query(`
      CREATE TABLE measure_history (
        id bigserial PRIMARY KEY,
        measure_id uuid NOT NULL REFERENCES measure(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        path uuid[] NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        doi smallint NOT NULL,
        state text NOT NULL,
        value numeric(15,2) NOT NULL,
        event text NOT NULL
      )`);
    await q.query(`CREATE INDEX measure_history_measure_at_idx ON measure_history (measure_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX measure_history_path_idx ON measure_history USING gin (path)`);
    await q.query(`
      INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
      SELECT id, organisation_id, path, created_at, doi, state, annual_potential, 'CREATED' FROM measure`);
    await q.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES app_user(id),
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        measure_id uuid,
        before jsonb,
        after jsonb,
        reason text,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (organisation_id, seq)
      )`);
    await q.query(`CREATE INDEX audit_entry_entity_idx ON audit_entry (entity_id, seq)`);
    await q.query(`CREATE INDEX audit_entry_measure_idx ON audit_entry (measure_id, seq) WHERE measure_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE audit_chain_head (
        organisation_id uuid PRIMARY KEY REFERENCES organisation(id),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    // Append-only: the database itself refuses to change or remove an audit entry.
    await q.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry
      FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await q.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_chain_head`);
    await q.query(`DROP TABLE audit_entry`);
    await q.query(`DROP FUNCTION audit_entry_append_only()`);
    for (const t of ['measure_history', 'sign_off', 'measure_comment', 'evidence', 'gate_condition', 'gate_request', 'gate_review_participant', 'gate_review', 'gate_template']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`ALTER TABLE measure DROP COLUMN next_gate_due_on, DROP COLUMN potential_validated_at,
      DROP COLUMN potential_validated_by, DROP COLUMN potential_validation_note, DROP COLUMN closed_at`);
  }
}
