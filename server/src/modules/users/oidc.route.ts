import type { Express, Request, Response } from 'express';
import { cookieJar, readCookie, sessionToken } from '../../http/session-cookie.js';
import { errorFields, logger } from '../../observability/logger.js';
import type { Services } from '../context.js';
import { OIDC_LOGIN_MINUTES, OidcSignInError, type OidcFailure, type OidcSignIn } from './oidc-sign-in.js';

/** Holds the state of a single sign-on under way, so only the browser that began it can finish it. */
export const OIDC_STATE_COOKIE = 'gh_oidc_state';
const COOKIE_PATH = '/auth/oidc';

/** Back to the sign-in page, which explains the reason (never a stack trace). */
function toSignIn(res: Response, reason: OidcFailure | 'https_required'): void {
  res.redirect(303, `/sign-in?sso_error=${reason}`);
}

/**
 * GET /auth/oidc/start[?redirect=/path] leaves for the provider; GET /auth/oidc/callback comes back, starts a
 * normal Gatehouse session (the same session and cookie rules as a password sign-in) and opens the dashboard at
 * that path.
 */
export function mountOidcRoutes(app: Express, services: Services, oidc: OidcSignIn | null, production: boolean): void {
  app.get(`${COOKIE_PATH}/start`, async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!oidc) return toSignIn(res, 'failed');
    try {
      const { url, state } = await oidc.begin(typeof req.query.redirect === 'string' ? req.query.redirect : undefined);
      // Lax, not Strict: the provider's redirect back is a cross-site navigation, which must carry it.
      res.cookie(OIDC_STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: COOKIE_PATH, maxAge: OIDC_LOGIN_MINUTES * 60_000 });
      res.redirect(303, url.href);
    } catch (e) {
      logger.warn({ event: 'oidc.unreachable', ...errorFields(e) }, 'single sign-on: the provider could not be reached');
      toSignIn(res, 'failed');
    }
  });

  app.get(`${COOKIE_PATH}/callback`, async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!oidc) return toSignIn(res, 'failed');
    const browserState = readCookie(req.headers.cookie, OIDC_STATE_COOKIE);
    res.clearCookie(OIDC_STATE_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: COOKIE_PATH });
    try {
      const query = new URL(req.originalUrl, 'http://callback').searchParams;
      const person = await oidc.finish(query, browserState);
      const jar = cookieJar(req, res, production);
      if (!jar.kept) return toSignIn(res, 'https_required');
      const session = await services.auth.startSession(person, {
        previousToken: sessionToken(req.headers),
        userAgent: req.headers['user-agent'],
        address: req.ip,
      });
      jar.set(session.token, session.expiresAt);
      res.redirect(303, person.returnTo);
    } catch (e) {
      if (e instanceof OidcSignInError) return toSignIn(res, e.reason);
      logger.error({ event: 'oidc.error', ...errorFields(e) }, 'single sign-on failed');
      toSignIn(res, 'failed');
    }
  });
}
