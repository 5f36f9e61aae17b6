import { ErrorCode } from '@gatehouse/shared';
import type { ErrorRequestHandler } from 'express';
import { errorFields, logger } from '../observability/logger.js';
import { observationOf } from '../observability/request-log.js';

/**
 * Errors of the HTTP layer before GraphQL runs (a body over the limit, malformed JSON) answered as GraphQL
 * errors with their status, never Express's HTML page with a stack trace.
 */
export const requestErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  const codes = observationOf(res)?.errorCodes;
  if (res.headersSent) {
    next(error);
    return;
  }
  const e = error as { type?: string; status?: number };
  if (e.type === 'entity.too.large') {
    codes?.push(ErrorCode.BAD_USER_INPUT);
    res.status(413).json({ errors: [{ message: 'The request body is too large', extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
    return;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    codes?.push('BAD_REQUEST');
    res.status(e.status).json({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  logger.error(errorFields(error), 'HTTP request failed');
  codes?.push(ErrorCode.INTERNAL_SERVER_ERROR);
  res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
};
