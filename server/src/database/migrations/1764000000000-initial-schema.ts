import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hierarchy (organisation, org units, programs, measure packages, measures), users, role grants and
 * sessions. Every node of the hierarchy stores `path`: the ids from the organisation down to itself, so "is X
 * within scope S" is one array test (`path @> ARRAY[S]`, GIN-indexed) and never a recursive walk.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        currency char(3) NOT NULL DEFAULT 'EUR',
        measure_seq integer NOT NULL DEFAULT 0,
        potential_green_percent smallint NOT NULL DEFAULT 95,
        potential_amber_percent smallint NOT NULL DEFAULT 80,
        doi_weights smallint[] NOT NULL DEFAULT '{10,30,60,90,100}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);
    await q.query(`
      CREATE TABLE org_unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        parent_id uuid REFERENCES org_unit(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        path uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX org_unit_name_key ON org_unit
      (organisation_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);
    await q.query(`CREATE INDEX org_unit_parent_idx ON org_unit (parent_id)`);
    await q.query(`
      CREATE TABLE program (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        org_unit_id uuid NOT NULL REFERENCES org_unit(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        objective text CHECK (length(objective) <= 4000),
        path uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX program_name_key ON program (org_unit_id, lower(name))`);
    await q.query(`
      CREATE TABLE measure_package (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        program_id uuid NOT NULL REFERENCES program(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        owner_id uuid REFERENCES app_user(id),
        path uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX measure_package_name_key ON measure_package (program_id, lower(name))`);
    await q.query(`
      CREATE TABLE role_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        role text NOT NULL CHECK (role IN ('ADMIN','STEERING_COMMITTEE','CONTROLLER','OWNER','VIEWER')),
        scope_id uuid NOT NULL,
        scope_kind text NOT NULL CHECK (scope_kind IN ('ORGANISATION','ORG_UNIT','PROGRAM')),
        granted_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, role, scope_id)
      )`);
    await q.query(`
      CREATE TABLE user_session (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX user_session_user_idx ON user_session (user_id)`);
    await q.query(`
      CREATE TABLE measure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        package_id uuid NOT NULL REFERENCES measure_package(id),
        path uuid[] NOT NULL,
        seq integer NOT NULL,
        code text NOT NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
        business_case text NOT NULL DEFAULT '' CHECK (length(business_case) <= 10000),
        lever text NOT NULL CHECK (lever IN ('COST_REDUCTION','REVENUE_INCREASE','COST_AVOIDANCE','CAPEX_REDUCTION','NON_FINANCIAL')),
        owner_id uuid NOT NULL REFERENCES app_user(id),
        sponsor_id uuid REFERENCES app_user(id),
        controller_id uuid REFERENCES app_user(id),
        doi smallint NOT NULL DEFAULT 1 CHECK (doi BETWEEN 1 AND 5),
        state text NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE','ON_HOLD','CANCELLED','CLOSED')),
        rough_potential numeric(15,2),
        plan_total numeric(15,2) NOT NULL DEFAULT 0,
        forecast_total numeric(15,2) NOT NULL DEFAULT 0,
        actual_total numeric(15,2) NOT NULL DEFAULT 0,
        one_off_cost_total numeric(15,2) NOT NULL DEFAULT 0,
        annual_potential numeric(15,2) NOT NULL DEFAULT 0,
        next_due_on timestamptz,
        implementation_status_override text CHECK (implementation_status_override IN ('GREEN','AMBER','RED')),
        implementation_status_override_reason text,
        potential_status_override text CHECK (potential_status_override IN ('GREEN','AMBER','RED')),
        potential_status_override_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES app_user(id),
        UNIQUE (organisation_id, code),
        UNIQUE (organisation_id, seq),
        CHECK ((implementation_status_override IS NULL) = (implementation_status_override_reason IS NULL)),
        CHECK ((potential_status_override IS NULL) = (potential_status_override_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX measure_path_idx ON measure USING gin (path)`);
    await q.query(`CREATE INDEX measure_package_idx ON measure (package_id)`);
    await q.query(`CREATE INDEX measure_owner_idx ON measure (owner_id)`);
    await q.query(`
      CREATE TABLE measure_value (
        measure_id uuid NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('PLAN','FORECAST','ACTUAL','ONE_OFF_COST')),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        amount numeric(15,2) NOT NULL,
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (measure_id, kind, month)
      )`);
    await q.query(`
      CREATE TABLE milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        measure_id uuid NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        due_on timestamptz NOT NULL,
        done_on timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX milestone_measure_idx ON milestone (measure_id, due_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'milestone',
      'measure_value',
      'measure',
      'user_session',
      'role_grant',
      'measure_package',
      'program',
      'org_unit',
      'app_user',
      'organisation',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
