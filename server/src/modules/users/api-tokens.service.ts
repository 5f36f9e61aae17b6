import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { inTransaction } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Actor } from '../access/index.js';
import { ApiToken } from './api-token.entity.js';
import { API_TOKEN_PREFIX, hashToken } from './auth.service.js';

export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_MAX_ACTIVE = 20;

/**
 * Personal API tokens for integrations: named, expiring, revocable, acting as their user (or read-only). The
 * token is 256 random bits behind a recognisable prefix, shown once; only its SHA-256 is stored.
 * Authentication by token lives in AuthService.authenticate, beside sessions.
 */
export class ApiTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  /** The caller's tokens that still work, newest first. */
  async list(actor: Actor): Promise<ApiToken[]> {
    return this.dataSource.query(
      `SELECT id, name, read_only AS "readOnly", created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt"
         FROM api_token WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC, id`,
      [actor.userId],
    );
  }

  async create(actor: Actor, input: { name: string; expiresInDays: number; readOnly?: boolean | null }): Promise<{ token: string; apiToken: ApiToken }> {
    // A token must not mint tokens: a leaked one could otherwise outlive its own expiry or revocation.
    if (actor.apiToken) throw forbidden('Create API tokens from a signed-in session');
    const name = (input.name ?? '').trim();
    if (name.length < 1 || name.length > 100) throw badInput('Name the token (1 to 100 characters)', { field: 'name' });
    // PostgreSQL text cannot hold NUL, and a control character in a name only hides what the token is.
    if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput('A token name cannot hold control characters', { field: 'name' });
    const days = input.expiresInDays;
    if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_MAX_DAYS) {
      throw badInput(`A token expires in 1 to ${API_TOKEN_MAX_DAYS} days`, { field: 'expiresInDays' });
    }
    const readOnly = input.readOnly === true;
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    return inTransaction(this.dataSource, { userId: actor.userId, organisationId: actor.organisation.id }, async ({ manager, audit }) => {
      // The user's row lock serialises concurrent creations, so the cap holds.
      await manager.query(`SELECT id FROM app_user WHERE id = $1 FOR UPDATE`, [actor.userId]);
      const [{ n }]: { n: number }[] = await manager.query(
        `SELECT count(*)::int AS n FROM api_token WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
        [actor.userId],
      );
      if (n >= API_TOKEN_MAX_ACTIVE) throw conflict(`At most ${API_TOKEN_MAX_ACTIVE} API tokens at a time: revoke one first`);
      const [row]: ApiToken[] = await manager.query(
        `INSERT INTO api_token (token_hash, user_id, name, read_only, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
         RETURNING id, name, read_only AS "readOnly", created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt"`,
        [hashToken(token), actor.userId, name, readOnly, days],
      );
      audit({ action: 'apiToken.created', entityType: 'User', entityId: actor.userId, after: { tokenId: row.id, name, readOnly, expiresAt: row.expiresAt } });
      return { token, apiToken: row };
    });
  }

  /** Revokes one of the caller's own tokens; another person's token is NOT_FOUND, as if it did not exist. */
  async revoke(actor: Actor, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFound('API token');
    return inTransaction(this.dataSource, { userId: actor.userId, organisationId: actor.organisation.id }, async ({ manager, audit, afterCommit }) => {
      // UPDATE answers [rows, rowCount] through TypeORM.
      const [rows]: [{ token_hash: string; name: string }[], number] = await manager.query(
        `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING token_hash, name`,
        [id, actor.userId],
      );
      const row = rows[0];
      if (!row) throw notFound('API token');
      audit({ action: 'apiToken.revoked', entityType: 'User', entityId: actor.userId, before: { tokenId: id, name: row.name } });
      // Subscriptions opened with the token close now, not at their next event.
      afterCommit(() => this.bus.publish({ topic: 'sessionsRevoked', organisationId: actor.organisation.id, tokenHash: row.token_hash }));
      return true;
    });
  }
}
