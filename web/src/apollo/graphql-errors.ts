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

/**
 * A sentence for people for every code the server sends (`ErrorCode`) and for a failed network: a `Record` over
 * the codes, so a new code does not compile until it has its sentence. Only an unknown answer (masked by the
 * server as INTERNAL_SERVER_ERROR) reads as our fault.
 */
export const ERROR_SENTENCES: Record<ClientErrorCode, string> = {
  [ErrorCode.UNAUTHENTICATED]: 'Your session has ended. Sign in again to continue.',
  [ErrorCode.FORBIDDEN]: 'Your roles do not allow this here.',
  [ErrorCode.NOT_FOUND]: 'It does not exist, or it was removed.',
  [ErrorCode.BAD_USER_INPUT]: 'Some input was not accepted.',
  [ErrorCode.CONFLICT]: 'This is not possible in its current state, or someone else changed it in the meantime.',
  [ErrorCode.GATE_CRITERIA_UNMET]: 'Criteria for this step are not met.',
  [ErrorCode.RATE_LIMITED]: 'Too many attempts. Wait a minute, then try again.',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'Gatehouse is unavailable for a moment; nothing was changed. Please try again.',
  [ErrorCode.INTERNAL_SERVER_ERROR]: 'Something went wrong on our side. Please try again.',
  NETWORK: 'Gatehouse cannot be reached. Check your connection and try again.',
};

/**
 * Codes whose server message is the domain's own reason, written for people ("A controller may never sign off a
 * measure they own", "Closure needs: Actuals recorded (0 months with actual values)"). The server masks anything
 * unexpected, so these messages never carry internals; the others have a fixed sentence.
 */
const REASONED: ReadonlySet<ClientErrorCode> = new Set([ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.BAD_USER_INPUT, ErrorCode.CONFLICT, ErrorCode.GATE_CRITERIA_UNMET]);

/** The server's own reason for a refusal, when it gave one with a code from REASONED. */
export function errorReason(error: unknown): string | null {
  const code = errorCode(error);
  if (!code || !REASONED.has(code) || !CombinedGraphQLErrors.is(error)) return null;
  const message = error.errors.find((e) => e.extensions?.code === code)?.message?.trim();
  return message ? message.replace(/([^.!?])$/, '$1.') : null;
}

/** A sentence for people, chosen by code, with the server's reason where it gave one. Pages add their own context. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  if (code === null) return '';
  const reason = errorReason(error);
  return reason ? `${ERROR_SENTENCES[code]} ${reason}` : ERROR_SENTENCES[code];
}

function safeJson(text: string): { errors?: { extensions?: { code?: unknown } }[] } | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
