import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ErrorCode } from '@gatehouse/shared';

/**
 * The machine-readable code of an operation's failure, for branching; never the message. A network failure
 * (no answer, not JSON) is NETWORK; an unexpected server answer without a code is INTERNAL_SERVER_ERROR.
 */
export type ClientErrorCode = ErrorCode | 'NETWORK';

export function errorCode(error: unknown): ClientErrorCode | null {
  if (!error) return null;
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code as string | undefined;
    return code && code in ErrorCode ? (code as ErrorCode) : ErrorCode.INTERNAL_SERVER_ERROR;
  }
  if (ServerError.is(error)) {
    // Apollo Server answers some request errors with a 4xx and a GraphQL body.
    const body = error.bodyText ? safeJson(error.bodyText) : null;
    const code = body?.errors?.[0]?.extensions?.code;
    if (typeof code === 'string' && code in ErrorCode) return code as ErrorCode;
    return error.statusCode >= 500 ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR;
  }
  return 'NETWORK';
}

/** Extensions of the first error with the given code, e.g. CONFLICT's `currentVersion`. */
export function errorExtensions(error: unknown, code: ErrorCode): Record<string, unknown> | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  return (error.errors.find((e) => e.extensions?.code === code)?.extensions as Record<string, unknown> | undefined) ?? null;
}

/** The field a BAD_USER_INPUT names, when the server said which. */
export function errorField(error: unknown): string | null {
  const field = errorExtensions(error, ErrorCode.BAD_USER_INPUT)?.field;
  return typeof field === 'string' ? field : null;
}

/** A sentence for people, chosen by code. Pages add their own context (what could not be loaded or saved). */
export function describeError(error: unknown): string {
  switch (errorCode(error)) {
    case null:
      return '';
    case ErrorCode.UNAUTHENTICATED:
      return 'Your session has ended. Sign in again to continue.';
    case ErrorCode.FORBIDDEN:
      return 'Your roles do not allow this here.';
    case ErrorCode.NOT_FOUND:
      return 'It does not exist, or it was removed.';
    case ErrorCode.BAD_USER_INPUT:
      return 'Some input was not accepted. Check the highlighted fields.';
    case ErrorCode.CONFLICT:
      return 'Someone else changed this in the meantime.';
    case ErrorCode.RATE_LIMITED:
      return 'Too many attempts. Wait a minute, then try again.';
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 'Gatehouse is unavailable for a moment; nothing was changed. Please try again.';
    case 'NETWORK':
      return 'Gatehouse cannot be reached. Check your connection and try again.';
    default:
      return 'Something went wrong on our side. Please try again.';
  }
}

function safeJson(text: string): { errors?: { extensions?: { code?: unknown } }[] } | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
