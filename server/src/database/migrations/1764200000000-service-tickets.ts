import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service tickets: the service catalogue with SLA policies, tickets (unique per source and external id), their
 * recurring-issue groups with counts and a per-day histogram kept incrementally by every import (so "N tickets
 * within W days" never scans the tickets), links from groups to measures, and the import runs.
 */
export class ServiceTickets1764200000000 implements MigrationInterface {
  name = 'ServiceTickets1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisation
        ADD COLUMN recurring_threshold integer NOT NULL DEFAULT 5 CHECK (recurring_threshold BETWEEN 2 AND 100000),
        ADD COLUMN recurring_window_days integer NOT NULL DEFAULT 90 CHECK (recurring_window_days BETWEEN 1 AND 3650),
        ADD COLUMN cost_per_ticket numeric(15,2) NOT NULL DEFAULT 25.00 CHECK (cost_per_ticket >= 0)`);
    await q.query(`
      CREATE TABLE service_category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        owner_id uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX service_category_name_key ON service_category (organisation_id, lower(name))`);
    // A policy for a category and priority; the category-less policy of a priority is the organisation's default.
    await q.query(`
      CREATE TABLE sla_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        category_id uuid REFERENCES service_category(id),
        priority text NOT NULL CHECK (priority IN ('CRITICAL','HIGH','MODERATE','LOW','PLANNING')),
        response_minutes integer NOT NULL CHECK (response_minutes > 0),
        resolution_minutes integer NOT NULL CHECK (resolution_minutes > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX sla_policy_key ON sla_policy
      (organisation_id, coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), priority)`);
    await q.query(`
      INSERT INTO sla_policy (organisation_id, priority, response_minutes, resolution_minutes)
      SELECT o.id, p.priority, p.response, p.resolution FROM organisation o
      CROSS JOIN (VALUES ('CRITICAL', 15, 240), ('HIGH', 30, 480), ('MODERATE', 240, 4320), ('LOW', 480, 7200), ('PLANNING', 1440, 14400))
        AS p(priority, response, resolution)`);
    await q.query(`
      CREATE TABLE ticket_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        signature text NOT NULL,
        title text NOT NULL,
        basis text NOT NULL CHECK (basis IN ('STRUCTURED','TEXT')),
        category text,
        ticket_count integer NOT NULL DEFAULT 0,
        open_count integer NOT NULL DEFAULT 0,
        first_day date,
        last_day date,
        peak_window_count integer NOT NULL DEFAULT 0,
        recurring boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organisation_id, signature)
      )`);
    await q.query(`CREATE INDEX ticket_group_count_idx ON ticket_group (organisation_id, ticket_count DESC, id)`);
    await q.query(`
      CREATE TABLE ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        source text NOT NULL CHECK (source IN ('SERVICENOW','JIRA','CSV')),
        external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
        summary text NOT NULL,
        description text,
        category text,
        subcategory text,
        service text,
        symptom text,
        impact text,
        urgency text,
        priority text NOT NULL CHECK (priority IN ('CRITICAL','HIGH','MODERATE','LOW','PLANNING')),
        state text,
        assignment_group text,
        requesting_unit text,
        problem_ref text,
        labels text[],
        request_type text,
        opened_at timestamptz,
        responded_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        source_updated_at timestamptz,
        made_sla boolean,
        revision bigint NOT NULL DEFAULT 0,
        content_hash text NOT NULL,
        group_id uuid NOT NULL REFERENCES ticket_group(id),
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        imported_at timestamptz NOT NULL DEFAULT now(),
        response_due_at timestamptz,
        resolution_due_at timestamptz,
        sla_disagrees boolean NOT NULL DEFAULT false,
        UNIQUE (organisation_id, source, external_id)
      )`);
    await q.query(`CREATE INDEX ticket_group_idx ON ticket (group_id)`);
    await q.query(`CREATE INDEX ticket_opened_idx ON ticket (organisation_id, opened_at DESC, id)`);
    await q.query(`
      CREATE TABLE ticket_group_day (
        group_id uuid NOT NULL REFERENCES ticket_group(id) ON DELETE CASCADE,
        day date NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (group_id, day)
      )`);
    await q.query(`
      CREATE TABLE ticket_group_link (
        group_id uuid NOT NULL REFERENCES ticket_group(id),
        measure_id uuid NOT NULL REFERENCES measure(id),
        linked_by uuid REFERENCES app_user(id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, measure_id)
      )`);
    await q.query(`CREATE INDEX ticket_group_link_measure_idx ON ticket_group_link (measure_id)`);
    await q.query(`
      CREATE TABLE ticket_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        source text NOT NULL,
        origin text NOT NULL,
        actor_id uuid REFERENCES app_user(id),
        started_at timestamptz NOT NULL DEFAULT now(),
        inserted integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['ticket_import', 'ticket_group_link', 'ticket_group_day', 'ticket', 'ticket_group', 'sla_policy', 'service_category']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`ALTER TABLE organisation DROP COLUMN recurring_threshold, DROP COLUMN recurring_window_days, DROP COLUMN cost_per_ticket`);
  }
}
