import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test provider signs in: the login typed into its dev login form is the subject. */
export interface TestOidcAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The OIDC_* variables that point Gatehouse at this provider. */
  env(redirectUrl: string): Record<string, string>;
  /** Registers a callback of the client; before the first request (the application's address comes later). */
  allowRedirect(uri: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a free local port, with one confidential client
 * and the given accounts. Its development interactions ask for a login (any password) and a consent, as a real
 * provider's pages would; the client must use PKCE.
 */
export async function startTestOidcProvider(options: { accounts: TestOidcAccount[]; host?: string }): Promise<TestOidcProvider> {
  // A browser test names it `localhost` while the application is 127.0.0.1: another site, as a real provider is.
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const clientId = 'gatehouse-test';
  const clientSecret = 'a-test-client-secret-of-enough-length';
  const accounts = new Map(options.accounts.map((a) => [a.sub, a]));
  const redirectUris: string[] = [];
  const createProvider = () => new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    cookies: { keys: ['gatehouse-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: true } },
  });
  let handle: ReturnType<Provider['callback']> | undefined;
  server.on('request', (req, res) => {
    if (!handle) {
      const p = createProvider();
      handle = p.callback();
    }
    void handle(req, res);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    allowRedirect: (uri) => void redirectUris.push(uri),
    env: (redirectUrl) => ({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_REDIRECT_URL: redirectUrl }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
