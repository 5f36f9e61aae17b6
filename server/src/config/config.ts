import path from 'node:path';
import { z } from 'zod';
import { TICKET_UPLOAD_LIMIT_MB } from '@gatehouse/shared';

/**
 * The one place that reads process.env. Everything else receives a validated, typed Config.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  /**
   * On PostgreSQL, the owner role that runs the migrations (`npm run migrate`, or every start when set); the
   * application then connects as DATABASE_URL's role, which is granted only what it needs (README "Database roles").
   */
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'MIGRATION_DATABASE_URL must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DEMO_DATA: booleanFlag.optional(),
  ORG_NAME: z.string().trim().min(1).max(200).optional(),
  ORG_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'ORG_CURRENCY is an ISO 4217 code such as EUR').default('EUR'),
  ADMIN_EMAIL: z.email().optional(),
  /** Optional: without it the first admin gets a one-time setup link in the log. With it they must change it at first sign-in. */
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD needs at least 12 characters').optional(),
  /** Sessions end after this long without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(12 * 60),
  /** Sessions end this long after sign-in whatever the activity. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(7 * 24),
  /** Largest accepted request body; bigger ones are answered 413 before any parsing. */
  REQUEST_BODY_LIMIT_KB: z.coerce.number().int().min(16).max(65_536).default(8192),
  /** Largest ticket file uploaded to /imports/tickets, counted as it streams (a chunked upload has no length). */
  TICKET_UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(4096).default(TICKET_UPLOAD_LIMIT_MB),
  /** Schema introspection and "did you mean" suggestions; default on except in production. */
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  GRAPHQL_FIELD_SUGGESTIONS: booleanFlag.optional(),
  /** Origins (scheme://host[:port], comma-separated) whose pages may open a WebSocket besides the server's own. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Behind a load balancer: the number of proxy hops whose X-Forwarded-For (client address) and X-Forwarded-Proto (scheme) are trusted. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Failed sign-ins of one account from one address before each further attempt waits 1 s, 2 s, 4 s … */
  LOGIN_FAILURES_BEFORE_DELAY: z.coerce.number().int().min(1).max(10_000).default(3),
  /** The longest such wait (kept below the window). */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
  /** Failed sign-ins allowed per client address (across accounts) within the window before RATE_LIMITED. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
    .optional(),
  /** The Ed25519 key that signs audit checkpoints: PEM text (or base64 PKCS#8) in a secret, or a file holding it. */
  AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** Minutes between signed checkpoints of every organisation's audit chain head; 0 writes them on demand only. */
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(60),
  /** Where people reach the web app (https://gatehouse.example[:port]): one-time set-password links point there and the single sign-on callback is derived from it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Single sign-on with OpenID Connect: the provider's issuer URL and this application's client registration. */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** Where the provider sends people back; default PUBLIC_URL + /auth/oidc/callback. */
  OIDC_REDIRECT_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The name on the sign-in button ("Sign in with …"); default the issuer's host name. */
  OIDC_PROVIDER_NAME: z.string().trim().min(1).max(60).optional(),
  /** Someone the provider vouches for but Gatehouse does not know gets an account (with no role) on first sign-in. */
  OIDC_CREATE_USERS: booleanFlag.default(false),
  /** E-mail and password sign-in; turn it off when everyone signs in through the provider. */
  PASSWORD_SIGN_IN: booleanFlag.default(true),
});

export interface Config {
  port: number;
  host: string;
  nodeEnv: 'development' | 'production' | 'test';
  database: { kind: 'postgres'; url: string; poolSize: number; migrationUrl?: string } | { kind: 'embedded'; dataDir: string };
  demoData: boolean;
  /** Without a trailing slash; unset means links use the address each request came by (or the listening address). */
  publicUrl?: string;
  bootstrap: { orgName?: string; currency: string; adminEmail?: string; adminPassword?: string };
  session: { idleMinutes: number; absoluteHours: number };
  http: { bodyLimitKb: number; uploadLimitMb: number; allowedOrigins: string[]; trustProxyHops: number };
  graphql: { introspection: boolean; fieldSuggestions: boolean };
  loginThrottle: LoginThrottleConfig;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  webDistDir: string;
  /** Subscription events fan out through Redis when set (else PostgreSQL LISTEN/NOTIFY on a server database). */
  redisUrl?: string;
  audit: AuditConfig;
  signIn: SignInConfig;
}

/** How people sign in: with a password (unless turned off) and/or through an OpenID Connect provider. */
export interface SignInConfig {
  password: boolean;
  oidc: OidcConfig | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  label: string;
  createUsers: boolean;
}

/** Where the audit signing key comes from; it never lives in the database. */
export type AuditSigningKeySource = { kind: 'pem'; pem: string } | { kind: 'file'; file: string; createIfMissing: boolean };

export interface AuditConfig {
  signingKey: AuditSigningKeySource | null;
  checkpointMinutes: number;
}

export interface LoginThrottleConfig {
  failuresBeforeDelay: number;
  maxDelaySeconds: number;
  maxFailuresPerAddress: number;
  windowMinutes: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (REDIS_URL= in a compose file) means "not set".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE, ...(e.MIGRATION_DATABASE_URL ? { migrationUrl: e.MIGRATION_DATABASE_URL } : {}) }
    : { kind: 'embedded', dataDir: path.resolve(e.DATA_DIR) };
  if (e.MIGRATION_DATABASE_URL && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  MIGRATION_DATABASE_URL: set DATABASE_URL too, the role the application connects as');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    nodeEnv: e.NODE_ENV,
    database,
    // Demo data is on by default only for the embedded database: a server database is someone's real data.
    demoData: e.DEMO_DATA ?? database.kind === 'embedded',
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    bootstrap: {
      orgName: e.ORG_NAME,
      currency: e.ORG_CURRENCY,
      adminEmail: e.ADMIN_EMAIL,
      adminPassword: e.ADMIN_PASSWORD,
    },
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    http: {
      bodyLimitKb: e.REQUEST_BODY_LIMIT_KB,
      uploadLimitMb: e.TICKET_UPLOAD_LIMIT_MB,
      allowedOrigins: parseOrigins(e.ALLOWED_ORIGINS),
      trustProxyHops: e.TRUST_PROXY_HOPS,
    },
    // Production hides the schema unless someone decides otherwise: introspection maps the attack surface.
    graphql: {
      introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
      fieldSuggestions: e.GRAPHQL_FIELD_SUGGESTIONS ?? e.NODE_ENV !== 'production',
    },
    loginThrottle: {
      failuresBeforeDelay: e.LOGIN_FAILURES_BEFORE_DELAY,
      maxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMinutes: e.LOGIN_THROTTLE_WINDOW_MINUTES,
    },
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    audit: { signingKey: auditSigningKey(e, database), checkpointMinutes: e.AUDIT_CHECKPOINT_MINUTES },
    signIn: signInConfig(e),
    webDistDir: path.resolve(import.meta.dirname, '../../../web/dist'),
  };
}

/** OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET come together; password sign-in may be off only with them. */
function signInConfig(e: z.infer<typeof EnvSchema>): SignInConfig {
  const parts = { OIDC_ISSUER: e.OIDC_ISSUER, OIDC_CLIENT_ID: e.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET };
  const missing = Object.entries(parts).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0 && missing.length < 3) {
    throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')}: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together`);
  }
  let oidc: OidcConfig | null = null;
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    const redirectUrl = e.OIDC_REDIRECT_URL ?? (e.PUBLIC_URL ? new URL('/auth/oidc/callback', e.PUBLIC_URL).href : undefined);
    if (!redirectUrl) {
      throw new ConfigError('Invalid configuration:\n  OIDC_REDIRECT_URL: set it, or PUBLIC_URL (the callback is then PUBLIC_URL/auth/oidc/callback)');
    }
    oidc = {
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      redirectUrl,
      label: e.OIDC_PROVIDER_NAME ?? new URL(e.OIDC_ISSUER).hostname,
      createUsers: e.OIDC_CREATE_USERS,
    };
  }
  if (!e.PASSWORD_SIGN_IN && !oidc) {
    throw new ConfigError('Invalid configuration:\n  PASSWORD_SIGN_IN: off needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), or nobody could sign in');
  }
  return { password: e.PASSWORD_SIGN_IN, oidc };
}

/** The key from AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE; the embedded database keeps one in its data directory. */
function auditSigningKey(e: z.infer<typeof EnvSchema>, database: Config['database']): AuditSigningKeySource | null {
  if (e.AUDIT_SIGNING_KEY && e.AUDIT_SIGNING_KEY_FILE) {
    throw new ConfigError('Invalid configuration:\n  AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE: set one of them, not both');
  }
  if (e.AUDIT_SIGNING_KEY) return { kind: 'pem', pem: e.AUDIT_SIGNING_KEY };
  if (e.AUDIT_SIGNING_KEY_FILE) return { kind: 'file', file: path.resolve(e.AUDIT_SIGNING_KEY_FILE), createIfMissing: false };
  if (database.kind === 'embedded') return { kind: 'file', file: path.join(database.dataDir, 'audit-signing-key.pem'), createIfMissing: true };
  return null;
}

/**
 * The server refuses to start in production on PostgreSQL without a signing key: checkpoints signed by nobody would
 * let a rewrite of the audit chain go unnoticed. (Commands that do not sign, such as `npm run migrate`, need none.)
 */
export function requireAuditSigningKey(config: Pick<Config, 'nodeEnv' | 'database' | 'audit'>): void {
  if (config.nodeEnv === 'production' && config.database.kind === 'postgres' && !config.audit.signingKey) {
    throw new ConfigError(
      'Invalid configuration:\n  AUDIT_SIGNING_KEY_FILE: required in production on PostgreSQL (the key that signs audit checkpoints); ' +
        'create one with `npm run audit -- keygen --out FILE` or `openssl genpkey -algorithm ed25519 -out FILE`',
    );
  }
}

/** Passwords published in this repository (the demo's, the old compose file's defaults). */
const KNOWN_PASSWORDS = ['demo-password', 'change-me-please'];

/**
 * Production never runs with credentials anyone can read in this repository: the demo organisation's accounts all
 * share a published password, and the demo is on by default with the embedded database.
 */
export function refuseKnownCredentials(config: Pick<Config, 'nodeEnv' | 'demoData' | 'database' | 'bootstrap'>): void {
  if (config.nodeEnv !== 'production') return;
  if (config.demoData) {
    const why = config.database.kind === 'embedded' ? ' (it is on by default with the embedded database)' : '';
    throw new ConfigError(
      `Invalid configuration:\n  DEMO_DATA: the demo organisation cannot run in production${why}: its accounts share a published password. ` +
        'Set DEMO_DATA=off with ORG_NAME, ADMIN_EMAIL and ADMIN_PASSWORD, or run the demo with NODE_ENV=development',
    );
  }
  const password = config.bootstrap.adminPassword;
  if (password && KNOWN_PASSWORDS.includes(password)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_PASSWORD: a published default password; choose your own (at least 12 characters)');
  }
}

/** "https://a.example, http://localhost:5173" -> normalised origins; anything that is not an origin is refused. */
function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        throw new ConfigError(`Invalid configuration:\n  ALLOWED_ORIGINS: ${o} is not an origin like https://app.example`);
      }
      if (!['http:', 'https:'].includes(url.protocol) || url.origin !== o.replace(/\/$/, '')) {
        throw new ConfigError(`Invalid configuration:\n  ALLOWED_ORIGINS: ${o} is not an origin like https://app.example`);
      }
      return url.origin;
    });
}
