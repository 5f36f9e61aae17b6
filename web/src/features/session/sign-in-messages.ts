import { ErrorCode } from '@gatehouse/shared';
import type { ClientErrorCode } from '../../apollo/graphql-errors';

/**
 * Why signing in failed: an error code, or INSECURE_TRANSPORT when the password was right but the server set no
 * session cookie because this page came over plain HTTP (see AuthPayload.sessionCookieKept).
 */
export type SignInFailure = ClientErrorCode | 'INSECURE_TRANSPORT';

/** Where the page is, for INSECURE_TRANSPORT's advice (window.location in the app). */
export interface PageLocation {
  protocol: string;
  host: string;
  pathname: string;
}

/** What the sign-in form says for each failure. */
export function signInMessage(code: SignInFailure, location?: PageLocation): string {
  switch (code) {
    case 'INSECURE_TRANSPORT':
      // Behind a TLS proxy the server may not know the page is https: then the proxy setting is what is missing.
      if (location?.protocol === 'https:') {
        return 'The server did not see this connection as HTTPS, so it set no session cookie. Ask your administrator to set TRUST_PROXY_HOPS for the proxy in front of Gatehouse.';
      }
      return `This address uses plain HTTP, so the browser will not keep your session. Use ${location ? `https://${location.host}${location.pathname}` : 'an https:// address'} instead.`;
    case ErrorCode.UNAUTHENTICATED:
      return 'The e-mail address or password is not correct.';
    case ErrorCode.BAD_USER_INPUT:
      return 'Enter your e-mail address and password.';
    case ErrorCode.RATE_LIMITED:
      return 'Too many sign-in attempts. Wait a minute, then try again.';
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 'Gatehouse is unavailable for a moment. Please try again.';
    case 'NETWORK':
      return 'Gatehouse cannot be reached. Check your connection and try again.';
    default:
      return 'Signing in failed unexpectedly. Please try again.';
  }
}

/** Only a path inside the app may be a redirect target, never another site (`//evil.example`). */
export function safeRedirect(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/sign-in')) return fallback;
  return value;
}
