import { randomBytes } from 'node:crypto';
import {
  GRANTABLE_SCOPE_KINDS,
  INVITE_LINK_HOURS,
  mayAdministerPerson,
  mayOnSomeScope,
  PasswordChangeProblem,
  PasswordLinkProblem,
  RESET_LINK_HOURS,
  Role,
  type ScopeKind,
} from '@gatehouse/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, forbidden, isUniqueViolation, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { requiredText } from '../../common/validate.js';
import type { Config } from '../../config/config.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, requireScope } from '../access/index.js';
import { hashToken, type AuthService, type SessionClient } from './auth.service.js';
import { assertAcceptablePassword } from './common-passwords.js';
import { hashPassword } from './password.js';
import { requireAdministeredPerson } from './people-scope.js';
import { User } from './user.entity.js';
import { EMAIL, escapeLike } from './users.service.js';

export type PasswordLinkPurpose = 'INVITE' | 'RESET' | 'SETUP';

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  clientAddress: string | null;
  current: boolean;
}

/** The page of the web app a one-time link opens. */
export function passwordLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/set-password?token=${encodeURIComponent(token)}`;
}

/**
 * Issues a one-time set-password link for a user inside the caller's transaction: 256 random bits, only their
 * SHA-256 stored. Any earlier unused link of the user stops working, so only the newest one counts.
 */
export async function issuePasswordLink(
  manager: EntityManager,
  userId: string,
  purpose: PasswordLinkPurpose,
  hours: number,
  createdBy: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  await manager.query(`UPDATE password_link SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [userId]);
  const [{ expires_at }]: { expires_at: Date }[] = await manager.query(
    `INSERT INTO password_link (token_hash, user_id, purpose, created_by, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))
     RETURNING expires_at`,
    [hashToken(token), userId, purpose, createdBy, hours],
  );
  return { token, expiresAt: new Date(expires_at) };
}

/**
 * Passwords and the People screen: invitations and reset links (one-time, hashed, expiring; using one ends the
 * person's sessions and signs them in), changing one's own password, and an admin's view of a person's sessions.
 * There is no e-mail yet: the admin hands the link over themselves.
 */
export class IdentityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly auth: AuthService,
    private readonly sessionConfig: Config['session'],
  ) {}

  /**
   * The people the caller administers, with their e-mail addresses and roles: everyone for an admin of the
   * organisation, else those whose every role lies within the caller's admin scopes. One statement.
   */
  async people(actor: Actor, search?: string | null): Promise<User[]> {
    if (!mayOnSomeScope('user.invite', actor)) throw forbidden();
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u').where('u.organisation_id = :org', { org: actor.organisation.id }).orderBy('u.name').addOrderBy('u.id').limit(500);
    if (!mayAdministerPerson('user.invite', actor, actor.organisation.id, [])) {
      const adminScopes = actor.grants.filter((g) => g.role === Role.ADMIN).map((g) => g.scopeId);
      qb.andWhere(`EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id)`).andWhere(
        `NOT EXISTS (SELECT 1 FROM role_grant g LEFT JOIN org_unit ou ON ou.id = g.scope_id LEFT JOIN program p ON p.id = g.scope_id
                      WHERE g.user_id = u.id AND NOT (coalesce(ou.path, p.path, ARRAY[g.scope_id]) && CAST(:admin AS uuid[])))`,
        { admin: adminScopes },
      );
    }
    const text = search?.trim();
    if (text) qb.andWhere('(u.name ILIKE :s OR u.email ILIKE :s)', { s: `%${escapeLike(text.slice(0, 100))}%` });
    const users = await qb.getMany();
    for (const u of users) u.administeredByCaller = true;
    return users;
  }

  /**
   * Creates a user without a password and a one-time link (72 hours) for them to choose one; with a role, grants
   * it on the scope. Checked on that scope (the organisation without a role).
   */
  async createUserInvite(
    actor: Actor,
    input: { email: string; name: string; role?: Role | null; scopeId?: string | null },
    baseUrl: string,
  ): Promise<{ user: User; link: string; expiresAt: Date }> {
    const email = requiredText(input.email, 'email', 254).toLowerCase();
    if (!EMAIL.test(email)) throw badInput('email is not an e-mail address', { field: 'email' });
    const name = requiredText(input.name, 'name', 200);
    if ((input.role == null) !== (input.scopeId == null)) throw badInput('Give both a role and the scope it is granted on, or neither', { field: input.role == null ? 'role' : 'scopeId' });
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const scope = await requireScope(manager, input.scopeId ?? actor.organisation.id, actor.organisation.id);
      if (!GRANTABLE_SCOPE_KINDS.includes(scope.kind)) throw badInput('Roles are granted on the organisation, an org unit or a program', { field: 'scopeId' });
      if (!mayAdministerPerson('user.invite', actor, actor.organisation.id, [scope.path])) throw forbidden('You invite people only into scopes where you are an admin');
      const taken = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = $1`, [email]);
      if (taken.length > 0) throw conflict('A user with this e-mail address exists already', { field: 'email' });
      // The check above cannot see an invitation of the same address committing meanwhile: the unique index on
      // lower(email) refuses the second insert, which is the same CONFLICT, not an internal error.
      const [{ id }]: { id: string }[] = await manager
        .query(`INSERT INTO app_user (organisation_id, email, name, password_hash, password_set_at, active) VALUES ($1, $2, $3, NULL, NULL, true) RETURNING id`, [
          actor.organisation.id,
          email,
          name,
        ])
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw conflict('A user with this e-mail address exists already', { field: 'email' });
          throw e;
        });
      if (input.role) {
        await manager.query(`INSERT INTO role_grant (user_id, role, scope_id, scope_kind, granted_by) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          input.role,
          scope.id,
          scope.kind as ScopeKind,
          actor.userId,
        ]);
      }
      const { token, expiresAt } = await issuePasswordLink(manager, id, 'INVITE', INVITE_LINK_HOURS, actor.userId);
      audit({ action: 'user.invited', entityType: 'User', entityId: id, after: { email, name, role: input.role ?? null, scopeId: input.role ? scope.id : null, linkExpiresAt: expiresAt } });
      if (input.role) audit({ action: 'role.granted', entityType: 'User', entityId: id, after: { role: input.role, scopeId: scope.id, scopeKind: scope.kind } });
      const user = await manager.getRepository(User).findOneByOrFail({ id });
      user.administeredByCaller = true;
      return { user, link: passwordLinkUrl(baseUrl, token), expiresAt };
    });
  }

  /** A one-time reset link (24 hours) for a person the caller administers; their password works until it is used. */
  async requestPasswordReset(actor: Actor, userId: string, baseUrl: string): Promise<{ link: string; expiresAt: Date }> {
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const user = await requireAdministeredPerson(manager, actor, 'user.resetPassword', userId, true);
      if (!user.active) throw conflict(`${user.name} is deactivated: reactivate them first`);
      const { token, expiresAt } = await issuePasswordLink(manager, user.id, 'RESET', RESET_LINK_HOURS, actor.userId);
      audit({ action: 'user.passwordResetIssued', entityType: 'User', entityId: user.id, after: { linkExpiresAt: expiresAt } });
      return { link: passwordLinkUrl(baseUrl, token), expiresAt };
    });
  }

  /**
   * Uses a one-time link: sets the password, ends every session of the person, and signs them in with a new one.
   * An unknown, used, revoked or expired link is BAD_USER_INPUT with its reason, and changes nothing; so does a
   * password the rule refuses (the link still works then).
   */
  async setPasswordWithToken(token: string, newPassword: string, client: SessionClient): Promise<{ token: string; user: User; expiresAt: Date }> {
    const tokenHash = typeof token === 'string' && token.length > 0 && token.length <= 200 ? hashToken(token) : null;
    const link: { id: string; user_id: string; organisation_id: string; purpose: string; spent: boolean; expired: boolean }[] = tokenHash
      ? await this.dataSource.query(
          `SELECT l.id, l.user_id, u.organisation_id, l.purpose, (l.used_at IS NOT NULL OR l.revoked_at IS NOT NULL OR NOT u.active) AS spent, l.expires_at <= now() AS expired
             FROM password_link l JOIN app_user u ON u.id = l.user_id WHERE l.token_hash = $1`,
          [tokenHash],
        )
      : [];
    const row = link[0];
    if (!row) throw badInput('This link is not valid: ask an admin for a new one', { field: 'token', reason: PasswordLinkProblem.UNKNOWN });
    const checkState = (r: { spent: boolean; expired: boolean }) => {
      if (r.spent) throw badInput('This link has been used already or was replaced: ask an admin for a new one', { field: 'token', reason: PasswordLinkProblem.USED });
      if (r.expired) throw badInput('This link has expired: ask an admin for a new one', { field: 'token', reason: PasswordLinkProblem.EXPIRED });
    };
    checkState(row);
    assertAcceptablePassword(newPassword, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const session = await inTransaction(this.dataSource, { userId: row.user_id, organisationId: row.organisation_id }, async (tx) => {
      // Locked and checked again: two uses of the same link at once, only one gets through.
      const [again]: { spent: boolean; expired: boolean }[] = await tx.manager.query(
        `SELECT (l.used_at IS NOT NULL OR l.revoked_at IS NOT NULL OR NOT u.active) AS spent, l.expires_at <= now() AS expired
           FROM password_link l JOIN app_user u ON u.id = l.user_id WHERE l.id = $1 FOR UPDATE OF l, u`,
        [row.id],
      );
      checkState(again);
      await tx.manager.query(`UPDATE password_link SET used_at = now() WHERE id = $1`, [row.id]);
      await tx.manager.query(`UPDATE password_link SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [row.user_id]);
      await tx.manager.query(`UPDATE app_user SET password_hash = $2, password_set_at = now(), must_change_password = false WHERE id = $1`, [row.user_id, passwordHash]);
      const ended = await this.endSessions(tx.manager, row.user_id);
      tx.audit({ action: 'user.passwordSet', entityType: 'User', entityId: row.user_id, after: { by: row.purpose.toLowerCase() + ' link', sessionsEnded: ended } });
      tx.afterCommit(() => this.bus.publish({ topic: 'sessionsRevoked', organisationId: row.organisation_id, userId: row.user_id }));
      return this.auth.openSession(tx, row.user_id, row.organisation_id, client);
    });
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: row.user_id });
    return { ...session, user };
  }

  /**
   * Changes the caller's own password, given the current one; ends the caller's other sessions (this one goes on)
   * and any pending one-time link.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, address?: string): Promise<boolean> {
    if (actor.apiToken) throw forbidden('Change your password from a signed-in session');
    if (!(await this.auth.verifyOwnPassword(actor.userId, actor.email, String(currentPassword ?? ''), address))) {
      throw badInput('The current password is wrong', { field: 'currentPassword', reason: PasswordChangeProblem.WRONG_CURRENT });
    }
    if (newPassword === currentPassword) throw badInput('Choose a new password, not the current one', { field: 'newPassword', reason: PasswordChangeProblem.SAME_AS_CURRENT });
    assertAcceptablePassword(newPassword, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      await manager.query(`UPDATE app_user SET password_hash = $2, password_set_at = now(), must_change_password = false WHERE id = $1`, [actor.userId, passwordHash]);
      await manager.query(`UPDATE password_link SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [actor.userId]);
      const [ended]: [{ token_hash: string }[], number] = await manager.query(
        `UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND token_hash <> $2 AND revoked_at IS NULL RETURNING token_hash`,
        [actor.userId, actor.sessionTokenHash],
      );
      audit({ action: 'user.passwordChanged', entityType: 'User', entityId: actor.userId, after: { otherSessionsEnded: ended.length } });
      afterCommit(() => {
        for (const s of ended) void this.bus.publish({ topic: 'sessionsRevoked', organisationId: actor.organisation.id, tokenHash: s.token_hash });
      });
      return true;
    });
  }

  /** A person's sessions that still work, most recently used first. */
  async userSessions(actor: Actor, userId: string): Promise<SessionInfo[]> {
    const user = await requireAdministeredPerson(this.dataSource.manager, actor, 'user.sessions', userId);
    return this.dataSource.query(
      `SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt", user_agent AS "userAgent",
              client_address AS "clientAddress", token_hash = $2 AS current
         FROM user_session
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $3)
        ORDER BY last_seen_at DESC, id`,
      [user.id, actor.sessionTokenHash, this.sessionConfig.idleMinutes],
    );
  }

  /** Ends one session of a person (sessionId) or all of them; answers how many ended. Their live connections close too. */
  async endUserSessions(actor: Actor, userId: string, sessionId?: string | null): Promise<number> {
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      const user = await requireAdministeredPerson(manager, actor, 'user.sessions', userId, true);
      let hashes: string[];
      if (sessionId != null) {
        const [rows]: [{ token_hash: string }[], number] = await manager.query(
          `UPDATE user_session SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING token_hash`,
          [assertId(sessionId, 'sessionId'), user.id],
        );
        if (rows.length === 0) throw notFound('Session');
        hashes = rows.map((r) => r.token_hash);
      } else {
        const [rows]: [{ token_hash: string }[], number] = await manager.query(
          `UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING token_hash`,
          [user.id],
        );
        hashes = rows.map((r) => r.token_hash);
      }
      audit({ action: 'user.sessionsEnded', entityType: 'User', entityId: user.id, after: { sessionsEnded: hashes.length, ...(sessionId ? { sessionId } : {}) } });
      afterCommit(() => {
        for (const tokenHash of hashes) void this.bus.publish({ topic: 'sessionsRevoked', organisationId: actor.organisation.id, tokenHash });
      });
      return hashes.length;
    });
  }

  /** Ends every session of a user inside a transaction; answers how many. */
  private async endSessions(manager: EntityManager, userId: string): Promise<number> {
    const [, ended]: [unknown, number] = await manager.query(`UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    return ended;
  }
}
