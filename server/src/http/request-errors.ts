import { ErrorCode } from '@gatehouse/shared';
import type { ErrorRequestHandler } from 'express';

/**
 * Errors of the HTTP layer before GraphQL runs (a body over the limit, malformed JSON) answered as GraphQL
 * errors with their status, never Express's HTML page with a stack trace.
 */
export const requestErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const e = error as { type?: string; status?: number };
  if (e.type === 'entity.too.large') {
    res.status(413).json({ errors: [{ message: 'The request body is too large', extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
    return;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  console.error('HTTP request failed:', error);
  res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
};
