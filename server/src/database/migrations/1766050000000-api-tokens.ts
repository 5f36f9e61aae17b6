import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal API tokens: like sessions, only the SHA-256 of the token is kept. A token acts as its user (or with
 * read-only rights) until it expires or is revoked; last_used_at is refreshed at most once a minute.
 */
export class ApiTokens1766050000000 implements MigrationInterface {
  name = 'ApiTokens1766050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        read_only boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_token_user_idx ON api_token (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_token`);
  }
}
