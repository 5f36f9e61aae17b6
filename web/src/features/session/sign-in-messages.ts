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
    case ErrorCode.FORBIDDEN:
      // The only refusal of a right password: PASSWORD_SIGN_IN is off on this server.
      return 'Signing in with a password is turned off here. Use single sign-on.';
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

/**
 * Why a single sign-on came back to the sign-in page (`?sso_error=`, set by the server's /auth/oidc/callback), or
 * null when it did not.
 */
export function singleSignOnMessage(reason: unknown, provider = 'your sign-in provider'): string | null {
  if (typeof reason !== 'string' || reason === '') return null;
  switch (reason) {
    case 'denied':
      return `Signing in with ${provider} was cancelled or refused. Try again, or ask your administrator.`;
    case 'state':
      return 'That sign-in was not started in this browser, or it took longer than ten minutes. Please start again.';
    case 'unverified_email':
      return `${provider} has not verified your e-mail address, so Gatehouse cannot tell who you are. Verify it there, then try again.`;
    case 'unknown_user':
      return `Gatehouse has no account for the person ${provider} signed in. Ask your administrator to add you with that e-mail address.`;
    case 'inactive':
      return 'Your Gatehouse account is deactivated. Ask your administrator.';
    case 'https_required':
      return 'This address uses plain HTTP, so the browser will not keep your session. Use an https:// address instead.';
    default:
      return `Signing in with ${provider} did not work. Please try again in a moment.`;
  }
}

/** Only a path inside the app may be a redirect target, never another site (`//evil.example`). */
export function safeRedirect(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/sign-in')) return fallback;
  return value;
}
