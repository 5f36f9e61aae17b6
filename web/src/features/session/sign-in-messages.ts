import { ErrorCode } from '@gatehouse/shared';
import type { ClientErrorCode } from '../../apollo/graphql-errors';

/** What the sign-in form says for each failure code. */
export function signInMessage(code: ClientErrorCode): string {
  switch (code) {
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
