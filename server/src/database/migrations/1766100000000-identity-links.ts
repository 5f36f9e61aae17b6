import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passwords people choose themselves. An invited user (or the first admin created without ADMIN_PASSWORD) has no
 * password until they use a one-time link; `password_link` keeps only the SHA-256 of each link's token, used
 * once, expiring. `must_change_password` marks a password someone else chose (ADMIN_PASSWORD). Sessions gain an
 * id (to list and end them one by one without exposing their hash) and where they were opened from.
 */
export class IdentityLinks1766100000000 implements MigrationInterface {
  name = 'IdentityLinks1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE app_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    // Everyone existing chose (or was given) a password at creation; so does anyone inserted with one (the demo).
    // An invitation inserts NULL explicitly: no password yet.
    await q.query(`ALTER TABLE app_user ADD COLUMN password_set_at timestamptz DEFAULT now()`);
    await q.query(`UPDATE app_user SET password_set_at = CASE WHEN password_hash IS NOT NULL THEN created_at END`);
    await q.query(`ALTER TABLE user_session ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE`);
    await q.query(`ALTER TABLE user_session ADD COLUMN user_agent text CHECK (length(user_agent) <= 300)`);
    await q.query(`ALTER TABLE user_session ADD COLUMN client_address text CHECK (length(client_address) <= 100)`);
    await q.query(`CREATE INDEX user_session_live_user_idx ON user_session (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE password_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        purpose text NOT NULL CHECK (purpose IN ('INVITE', 'RESET', 'SETUP')),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX password_link_user_idx ON password_link (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_link`);
    await q.query(`DROP INDEX user_session_live_user_idx`);
    await q.query(`ALTER TABLE user_session DROP COLUMN client_address, DROP COLUMN user_agent, DROP COLUMN id`);
    await q.query(`ALTER TABLE app_user DROP COLUMN password_set_at, DROP COLUMN must_change_password`);
    // Users who never set a password cannot sign in before either: an unverifiable hash keeps it so.
    await q.query(`UPDATE app_user SET password_hash = '!' WHERE password_hash IS NULL`);
    await q.query(`ALTER TABLE app_user ALTER COLUMN password_hash SET NOT NULL`);
  }
}
