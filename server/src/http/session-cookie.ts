import type { Request, Response } from 'express';

/** What HTTP-only resolvers (login, logout) need to set or clear the session cookie. */
export interface SessionCookieJar {
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

export function cookieJar(res: Response, secure: boolean): SessionCookieJar {
  const options = { httpOnly: true, sameSite: 'strict', path: '/', secure } as const;
  return {
    set: (token, expiresAt) => void res.cookie(SESSION_COOKIE, token, { ...options, expires: expiresAt }),
    clear: () => void res.clearCookie(SESSION_COOKIE, options),
  };
}

export type { Request };
