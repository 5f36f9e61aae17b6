import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { DomainError, unauthenticated } from '../../common/domain-error.js';
import { inTransaction, type Tx } from '../../common/transaction.js';
import { ErrorCode } from '@gatehouse/shared';
import type { Config } from '../../config/config.js';
import type { EventBus } from '../../events/event-bus.js';
import { LoginThrottle } from './login-throttle.js';
import type { Actor, ActorGrant } from '../access/index.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import { User } from './user.entity.js';

/** Personal API tokens start with this, so they are told apart from session tokens (and spotted by secret scanners). */
export const API_TOKEN_PREFIX = 'gh_pat_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Where a session is opened from: kept with it, shown to admins listing a person's sessions. */
export interface SessionClient {
  address?: string;
  userAgent?: string;
  previousToken?: string;
}

interface ActorRow {
  user_id: string;
  email: string;
  name: string;
  last_seen_at: Date | null;
  token_id?: string;
  read_only?: boolean;
  org: Actor['organisation'];
  grants: { role: Role; scopeId: string; scopePath: string[] }[];
}

/** The organisation and role grants of an actor, selected beside its user `u` and organisation `o`. */
const ACTOR_ORG_AND_GRANTS = `json_build_object('id', o.id, 'name', o.name, 'currency', o.currency,
                'potentialGreenPercent', o.potential_green_percent, 'potentialAmberPercent', o.potential_amber_percent,
                'doiWeights', o.doi_weights, 'recurringThreshold', o.recurring_threshold,
                'recurringWindowDays', o.recurring_window_days) AS org,
              coalesce((SELECT json_agg(json_build_object('role', g.role, 'scopeId', g.scope_id,
                          'scopePath', coalesce(ou.path, p.path, ARRAY[g.scope_id])))
                        FROM role_grant g
                        LEFT JOIN org_unit ou ON ou.id = g.scope_id
                        LEFT JOIN program p ON p.id = g.scope_id
                        WHERE g.user_id = u.id), '[]'::json) AS grants`;

/**
 * Sign-in and sessions. A session token is 256 random bits handed to the client once; the server keeps only its
 * hash, with idle and absolute expiry, and can revoke it at any time.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sessionConfig: Config['session'],
    private readonly bus: EventBus,
    throttleConfig: Config['loginThrottle'],
    /** PASSWORD_SIGN_IN: off when everyone signs in through the OpenID Connect provider. */
    readonly passwordSignIn = true,
  ) {
    this.throttle = new LoginThrottle(dataSource, throttleConfig);
  }

  /**
   * Signs in with a brand-new session id. Unknown e-mail, inactive user and wrong password take the same path
   * (one argon2 verification, one throttle write) and give the same answer. A session the client still carried
   * is revoked, so a token planted before sign-in (session fixation) is worthless after it.
   */
  async login(
    email: string,
    password: string,
    client: SessionClient = {},
  ): Promise<{ token: string; user: User; expiresAt: Date }> {
    if (!this.passwordSignIn) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Sign-in with a password is turned off here: sign in with single sign-on', { reason: 'PASSWORD_SIGN_IN_OFF' });
    }
    const address = client.address?.slice(0, 100);
    await this.throttle.check(email, address);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: email.trim().slice(0, 254) })
      .getOne();
    // An invited user without a password yet, or someone created by single sign-on, takes the unknown user's path
    // (the same work, the same answer), so nobody learns they exist.
    const ok = user?.active && user.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !ok) {
      await this.throttle.recordFailure(email, address);
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'E-mail or password is wrong');
    }
    await this.throttle.recordSuccess(email, address);
    const session = await this.startSession(user, client);
    return { ...session, user: Object.assign(user, { passwordHash: undefined }) };
  }

  /**
   * Whether the password is the signed-in user's own, under the sign-in throttle (a stolen session must not become
   * a way to guess the password at full speed).
   */
  async verifyOwnPassword(userId: string, email: string, password: string, address?: string): Promise<boolean> {
    await this.throttle.check(email, address?.slice(0, 100));
    const user = await this.dataSource.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: userId }).getOne();
    const candidate = password.slice(0, 1024);
    const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, candidate) : await verifyAgainstDummy(candidate);
    if (ok) await this.throttle.recordSuccess(email, address?.slice(0, 100));
    else await this.throttle.recordFailure(email, address?.slice(0, 100));
    return ok;
  }

  /**
   * A brand-new session for a user who proved who they are (password, or the single sign-on provider), in its own
   * transaction.
   */
  async startSession(user: Pick<User, 'id' | 'organisationId'>, client: SessionClient = {}): Promise<{ token: string; expiresAt: Date }> {
    return inTransaction(this.dataSource, { userId: user.id, organisationId: user.organisationId }, (tx) =>
      this.openSession(tx, user.id, user.organisationId, client),
    );
  }

  /**
   * Opens a session for the user inside the caller's transaction (sign-in, or a set-password link that signs the
   * person in), replacing the session the client still carried.
   */
  async openSession(tx: Tx, userId: string, organisationId: string, client: SessionClient): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.sessionConfig.absoluteHours * 3_600_000);
    const previousHash = client.previousToken && client.previousToken.length <= 200 ? hashToken(client.previousToken) : null;
    if (previousHash) {
      const [, replaced]: [unknown, number] = await tx.manager.query(
        `UPDATE user_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
        [previousHash],
      );
      if (replaced > 0) tx.afterCommit(() => this.bus.publish({ topic: 'sessionsRevoked', organisationId, tokenHash: previousHash }));
    }
    await tx.manager.query(
      `INSERT INTO user_session (token_hash, user_id, expires_at, user_agent, client_address) VALUES ($1, $2, $3, $4, $5)`,
      [hashToken(token), userId, expiresAt, client.userAgent?.slice(0, 300) || null, client.address?.slice(0, 100) || null],
    );
    tx.audit({ action: 'session.started', entityType: 'User', entityId: userId });
    return { token, expiresAt };
  }

  /** The actor behind a token, or null when the session is unknown, revoked, expired or idle too long. */
  async authenticate(token: string | undefined): Promise<Actor | null> {
    if (!token || token.length > 200) return null;
    return this.authenticateHash(hashToken(token), { apiToken: token.startsWith(API_TOKEN_PREFIX) });
  }

  /**
   * Like authenticate, for a session already identified. `touch: false` re-checks without counting as activity:
   * an open dashboard receiving events is not a person using the session, so it still ends when idle.
   * `apiToken`: the hash is a personal API token's (no idle expiry; last used instead of last seen).
   */
  /**
   * The actor of an active user by e-mail address, without a session: the command line acts as a person of the
   * database it opened (the measure import), so their roles and scope apply as in the dashboard.
   */
  async actorByEmail(email: string): Promise<Actor | null> {
    const rows: ActorRow[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.email, u.name, NULL AS last_seen_at, ${ACTOR_ORG_AND_GRANTS}
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE lower(u.email) = lower($1) AND u.active`,
      [email],
    );
    const row = rows[0];
    return row ? { userId: row.user_id, email: row.email, name: row.name, organisation: row.org, grants: row.grants as ActorGrant[], sessionTokenHash: '' } : null;
  }

  async authenticateHash(tokenHash: string, options: { touch?: boolean; apiToken?: boolean } = {}): Promise<Actor | null> {
    const source = options.apiToken
      ? `s.id AS token_id, s.read_only, s.last_used_at AS last_seen_at`
      : `s.last_seen_at`;
    const from = options.apiToken
      ? `FROM api_token s
         JOIN app_user u ON u.id = s.user_id
         JOIN organisation o ON o.id = u.organisation_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`
      : `FROM user_session s
         JOIN app_user u ON u.id = s.user_id
         JOIN organisation o ON o.id = u.organisation_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(mins => $2) AND u.active`;
    const rows: ActorRow[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.email, u.name, ${source}, ${ACTOR_ORG_AND_GRANTS}
         ${from}`,
      options.apiToken ? [tokenHash] : [tokenHash, this.sessionConfig.idleMinutes],
    );
    const row = rows[0];
    if (!row) return null;
    // Idle expiry needs last-seen (and the token list shows last used), but a write per request would be waste:
    // refresh it once a minute at most.
    if (options.touch !== false && (!row.last_seen_at || Date.now() - new Date(row.last_seen_at).getTime() > 60_000)) {
      const table = options.apiToken ? 'api_token SET last_used_at' : 'user_session SET last_seen_at';
      await this.dataSource.query(`UPDATE ${table} = now() WHERE token_hash = $1`, [tokenHash]);
    }
    return {
      userId: row.user_id,
      email: row.email,
      name: row.name,
      organisation: row.org,
      grants: row.grants as ActorGrant[],
      sessionTokenHash: tokenHash,
      ...(row.token_id ? { apiToken: { id: row.token_id, readOnly: row.read_only === true } } : {}),
    };
  }

  async logout(actor: Actor | null): Promise<boolean> {
    if (!actor) throw unauthenticated();
    if (actor.apiToken) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'An API token is not a session: revoke it with revokeApiToken');
    await inTransaction(this.dataSource, { userId: actor.userId, organisationId: actor.organisation.id }, async ({ manager, audit, afterCommit }) => {
      await manager.query(`UPDATE user_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [actor.sessionTokenHash]);
      audit({ action: 'session.ended', entityType: 'User', entityId: actor.userId });
      afterCommit(() => this.bus.publish({ topic: 'sessionsRevoked', organisationId: actor.organisation.id, tokenHash: actor.sessionTokenHash }));
    });
    return true;
  }
}
