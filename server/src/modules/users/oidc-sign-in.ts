import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import type { DataSource } from 'typeorm';
import type { OidcConfig } from '../../config/config.js';
import { inTransaction } from '../../common/transaction.js';
import { hashToken } from './auth.service.js';
import { errorFields, logger } from '../../observability/logger.js';

/** Why a single sign-on did not end in a session; the sign-in page explains each (`sso_error=<reason>`). */
export type OidcFailure =
  | 'denied' // the person cancelled or the provider refused
  | 'state' // no sign-in under way in this browser, expired, or a state that is not ours
  | 'unverified_email' // the provider does not vouch for the e-mail address
  | 'unknown_user' // nobody here with this address, and creation is off
  | 'inactive' // the account is deactivated
  | 'failed'; // the provider could not be reached or its answer did not check out

export class OidcSignInError extends Error {
  constructor(readonly reason: OidcFailure) {
    super(`single sign-on failed: ${reason}`);
    this.name = 'OidcSignInError';
  }
}

/** A sign-in under way lasts this long between leaving for the provider and coming back. */
export const OIDC_LOGIN_MINUTES = 10;


/** A path of this site to return to after signing in, never another site (`//evil.example`, `/\\evil.example`). */
export function localPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500 || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(value) || value.startsWith('/sign-in') || value.startsWith('/auth/')) return '/';
  return value;
}

/** The claims a sign-in matches people by: the ID token's, completed by the UserInfo endpoint. */
export interface OidcClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) through `openid-client`. `begin`
 * stores the PKCE verifier and nonce under the SHA-256 of the state (table `oidc_login`, ten minutes, single use);
 * the state itself goes to the browser in a cookie, so the callback is finished only by the browser that began it.
 * `finish` checks the provider's answer and finds the person: by the stored issuer and subject, else by an e-mail
 * address the provider verified (then remembering the subject), else — with OIDC_CREATE_USERS — a new account
 * with no role and no password.
 */
export class OidcSignIn {
  private discovered: Promise<client.Configuration> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    readonly config: OidcConfig,
  ) {}

  /** The provider's metadata, discovered once (again after a failure). */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(new URL(this.config.issuer), this.config.clientId, undefined, client.ClientSecretBasic(this.config.clientSecret), {
        // A provider on plain http (a development or test provider) is the operator's choice in OIDC_ISSUER.
        ...(this.config.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((e: unknown) => {
        this.discovered = undefined;
        throw e;
      });
    return this.discovered;
  }

  /**
   * Starts a sign-in: the provider's authorization URL and the state to keep in the browser's cookie. `returnTo`
   * is the page of the app to open afterwards (a path of this site; anything else is `/`).
   */
  async begin(returnTo?: string): Promise<{ url: URL; state: string }> {
    const configuration = await this.configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    await this.dataSource.query(`DELETE FROM oidc_login WHERE expires_at < now()`);
    await this.dataSource.query(
      `INSERT INTO oidc_login (state_hash, code_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
      [hashToken(state), verifier, nonce, localPath(returnTo), OIDC_LOGIN_MINUTES],
    );
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUrl,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url, state };
  }

  /**
   * Finishes a sign-in from the callback's query string and the state the browser kept; the person to start a
   * session for, or an OidcSignInError saying why not.
   */
  async finish(query: URLSearchParams, browserState: string | undefined): Promise<{ id: string; organisationId: string; created: boolean; returnTo: string }> {
    if (query.has('error')) throw new OidcSignInError(query.get('error') === 'access_denied' ? 'denied' : 'failed');
    const state = query.get('state');
    if (!state || !browserState || state !== browserState) throw new OidcSignInError('state');
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [rows]: [{ code_verifier: string; nonce: string; return_to: string }[], number] = await this.dataSource.query(
      `DELETE FROM oidc_login WHERE state_hash = $1 AND expires_at > now() RETURNING code_verifier, nonce, return_to`,
      [hashToken(state)],
    );
    const pending = rows[0];
    if (!pending) throw new OidcSignInError('state');
    const claims = await this.claims(query, state, pending).catch((e: unknown) => {
      logger.warn({ event: 'oidc.failed', ...errorFields(e) }, 'single sign-on: the provider’s answer did not check out');
      throw new OidcSignInError('failed');
    });
    return { ...(await this.person(claims)), returnTo: pending.return_to };
  }

  /** The code exchanged at the token endpoint (PKCE, state and nonce checked), then the UserInfo claims. */
  private async claims(query: URLSearchParams, state: string, pending: { code_verifier: string; nonce: string }): Promise<OidcClaims> {
    const configuration = await this.configuration();
    // The URL the provider sent the browser to: the configured callback (behind a proxy the app sees another).
    const current = new URL(this.config.redirectUrl);
    current.search = query.toString();
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    const info = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
    const pick = <T>(key: string, type: string): T | undefined =>
      typeof info[key] === type ? (info[key] as T) : typeof idToken[key] === type ? (idToken[key] as T) : undefined;
    return { sub: idToken.sub, email: pick<string>('email', 'string'), email_verified: pick<boolean>('email_verified', 'boolean'), name: pick<string>('name', 'string') };
  }

  /** The person these claims are: by subject, by verified e-mail address, or created (when allowed). */
  async person(claims: OidcClaims): Promise<{ id: string; organisationId: string; created: boolean }> {
    const issuer = this.config.issuer;
    // OpenID Connect caps a subject at 255 ASCII characters; anything else is not a provider we should trust.
    if (!claims.sub || claims.sub.length > 255) throw new OidcSignInError('failed');
    type Row = { id: string; organisation_id: string; active: boolean; oidc_issuer: string | null; oidc_subject: string | null };
    const bySubject: Row[] = await this.dataSource.query(
      `SELECT id, organisation_id, active, oidc_issuer, oidc_subject FROM app_user WHERE oidc_issuer = $1 AND oidc_subject = $2`,
      [issuer, claims.sub],
    );
    const known = bySubject[0];
    if (known) {
      if (!known.active) throw new OidcSignInError('inactive');
      return { id: known.id, organisationId: known.organisation_id, created: false };
    }
    const email = claims.email?.trim().toLowerCase();
    // Only an address the provider vouches for may stand for a person here: anyone can type any address elsewhere.
    if (!email || claims.email_verified !== true) throw new OidcSignInError(email ? 'unverified_email' : 'unknown_user');
    // A cut-down address would be someone else's: an address longer than an e-mail address can be is nobody here.
    if (email.length > 254) throw new OidcSignInError('unknown_user');
    const byEmail: Row[] = await this.dataSource.query(
      `SELECT id, organisation_id, active, oidc_issuer, oidc_subject FROM app_user WHERE lower(email) = $1`,
      [email],
    );
    const match = byEmail[0];
    if (match) {
      if (!match.active) throw new OidcSignInError('inactive');
      // Linked to another subject of this provider already: that other identity owns the account.
      if (match.oidc_subject && !(match.oidc_issuer === issuer && match.oidc_subject === claims.sub)) throw new OidcSignInError('unknown_user');
      await inTransaction(this.dataSource, { userId: match.id, organisationId: match.organisation_id }, async ({ manager, audit }) => {
        // Only while still unlinked (and active): of two first sign-ins of different subjects with this address at
        // once, both read the account unlinked; the one whose UPDATE comes second finds it linked and is refused,
        // rather than relinking the account to itself while the first goes on with its session.
        // TypeORM answers an UPDATE … RETURNING with [rows, count].
        const [linked]: [{ id: string }[], number] = await manager.query(
          `UPDATE app_user SET oidc_issuer = $1, oidc_subject = $2
            WHERE id = $3 AND active AND (oidc_subject IS NULL OR (oidc_issuer = $1 AND oidc_subject = $2)) RETURNING id`,
          [issuer, claims.sub, match.id],
        );
        if (linked.length === 0) throw new OidcSignInError('unknown_user');
        audit({ action: 'user.singleSignOnLinked', entityType: 'User', entityId: match.id, after: { issuer } });
      });
      return { id: match.id, organisationId: match.organisation_id, created: false };
    }
    if (!this.config.createUsers) throw new OidcSignInError('unknown_user');
    return this.create(email, claims);
  }

  /** A new account of the organisation (there is one per installation), with no role and no password. */
  private async create(email: string, claims: OidcClaims): Promise<{ id: string; organisationId: string; created: true }> {
    const orgs: { id: string }[] = await this.dataSource.query(`SELECT id FROM organisation ORDER BY created_at LIMIT 2`);
    if (orgs.length !== 1) throw new OidcSignInError('unknown_user');
    const organisationId = orgs[0]!.id;
    const id = randomUUID();
    const name = (claims.name?.trim() || email).slice(0, 200);
    await inTransaction(this.dataSource, { userId: id, organisationId }, async ({ manager, audit }) => {
      await manager.query(
        `INSERT INTO app_user (id, organisation_id, email, name, password_hash, active, oidc_issuer, oidc_subject)
         VALUES ($1, $2, $3, $4, NULL, true, $5, $6)`,
        [id, organisationId, email, name, this.config.issuer, claims.sub],
      );
      audit({ action: 'user.created', entityType: 'User', entityId: id, after: { email, name, singleSignOn: this.config.issuer } });
    });
    return { id, organisationId, created: true };
  }
}
