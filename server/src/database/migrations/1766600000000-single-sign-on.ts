import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on with OpenID Connect. A user signed in through a provider keeps the provider's issuer and subject
 * (the stable identifier; e-mail addresses change), unique together. People created on first sign-in have no
 * password (password_hash NULL, nullable since IdentityLinks1766100000000: password sign-in refuses them like a
 * wrong password). A sign-in under way keeps its
 * PKCE verifier, nonce and the page to return to here for ten minutes, under the SHA-256 of its state, so every
 * instance can finish it.
 */
export class SingleSignOn1766600000000 implements MigrationInterface {
  name = 'SingleSignOn1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN oidc_issuer text, ADD COLUMN oidc_subject text`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_oidc_pair CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))`);
    await q.query(`CREATE UNIQUE INDEX app_user_oidc_key ON app_user (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL`);
    await q.query(`
      CREATE TABLE oidc_login (
        state_hash text PRIMARY KEY,
        code_verifier text NOT NULL,
        nonce text NOT NULL,
        return_to text NOT NULL DEFAULT '/' CHECK (length(return_to) <= 500),
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE oidc_login`);
    await q.query(`DROP INDEX app_user_oidc_key`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_oidc_pair, DROP COLUMN oidc_issuer, DROP COLUMN oidc_subject`);
  }
}
