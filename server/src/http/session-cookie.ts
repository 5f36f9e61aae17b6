import type { Request, Response } from 'express';

/** What HTTP-only resolvers (login, logout) need to set or clear the session cookie. */
export interface SessionCookieJar {
  /** False when this request gets no session cookie (plain HTTP off this machine in production). */
  readonly kept: boolean;
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export const SESSION_COOKIE = 'gh_session';

/** The session token from `Authorization: Bearer` or, for the browser app, the httpOnly cookie. */
export function sessionToken(headers: { authorization?: string; cookie?: string }): string | undefined {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return readCookie(headers.cookie, SESSION_COOKIE);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The session cookie follows the scheme the client used: `Secure` over HTTPS (`req.secure`, which believes
 * `X-Forwarded-Proto` only from the TRUST_PROXY_HOPS proxies Express trusts), plain over HTTP. A browser drops a
 * `Secure` cookie sent over plain HTTP, so the old "Secure in production" rule made sign-in on http://host:port
 * fail as if the password were wrong. In production a plain-HTTP session cookie is only set for a browser on this
 * machine (loopback host and peer); anywhere else the token would cross the network in clear, so no cookie is set
 * and `kept` says so (the login answer tells the web app, which asks for https://).
 */
export function cookieJar(req: Request, res: Response, production: boolean): SessionCookieJar {
  const secure = req.secure;
  const kept = secure || !production || (isLoopbackHost(req.hostname) && isLoopbackHost(req.socket.remoteAddress));
  const options = { httpOnly: true, sameSite: 'strict', path: '/', secure } as const;
  return {
    kept,
    set: (token, expiresAt) => {
      if (kept) res.cookie(SESSION_COOKIE, token, { ...options, expires: expiresAt });
    },
    clear: () => void res.clearCookie(SESSION_COOKIE, options),
  };
}

/** localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped): the names browsers treat as this machine. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export type { Request };
