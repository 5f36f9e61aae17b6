import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode } from '@gatehouse/shared';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError } from '../common/domain-error.js';
import { withoutSuggestions } from './query-limits.js';
import { errorFields, logger } from '../observability/logger.js';

/** Codes that graphql-js and Apollo produce for malformed requests; safe to pass through. */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.RATE_LIMITED,
]);

/** PostgreSQL SQLSTATEs (and socket errors) after which the same call may succeed: the client may retry. */
const RETRYABLE_SQLSTATE = /^(40001|40P01|57P0[1-3]|08\d{3}|53\d{3})$/;
const RETRYABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

interface DriverError {
  code?: string;
  driverError?: { code?: string };
  message?: string;
  /** Apollo wraps errors of the context function (authentication reads the database) in a GraphQLError. */
  originalError?: unknown;
}

/** Refusals while connecting: the database is restarting or closed to connections for a moment. */
const RETRYABLE_MESSAGE =
  /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|not currently accepting connections|the database system is (starting up|shutting down|in recovery)/i;

function isRetryable(error: unknown, depth = 0): boolean {
  const e = error as DriverError;
  const code = e?.driverError?.code ?? e?.code;
  if (code && (RETRYABLE_SQLSTATE.test(code) || RETRYABLE_SOCKET.has(code))) return true;
  if (RETRYABLE_MESSAGE.test(String(e?.message ?? ''))) return true;
  return depth < 3 && e?.originalError !== undefined && isRetryable(e.originalError, depth + 1);
}

/**
 * Every error leaves the server through here: domain errors keep their code and message, request errors pass
 * through without stack traces, transient database faults become SERVICE_UNAVAILABLE, anything else is masked.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    return { ...base, extensions: { code } };
  }
  if (isRetryable(original)) {
    return {
      ...base,
      message: 'The database is unavailable for a moment; nothing was changed. Please retry.',
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true },
    };
  }
  logger.error(errorFields(original), 'Unexpected error');
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/**
 * formatError for a server's configuration: without field suggestions, no "Did you mean" reaches a client, not even
 * through the coercion of variables (`{ scopID: … }` would otherwise name `scopeId`), over HTTP and WebSocket alike.
 */
export function createFormatError(options: { fieldSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = formatError(formatted, error);
    return options.fieldSuggestions ? out : { ...out, message: withoutSuggestions(out.message) };
  };
}
