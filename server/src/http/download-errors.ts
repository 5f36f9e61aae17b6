import { ErrorCode } from '@gatehouse/shared';
import type { Response } from 'express';
import { DomainError } from '../common/domain-error.js';
import { errorFields, logger } from '../observability/logger.js';

/** The HTTP status of a domain refusal (the codes an upload or download answers with; anything else is 400). */
export const DOMAIN_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.BAD_USER_INPUT]: 400,
};

// CONFLICT stays a 500 here as before: no download refuses with it.
const STATUS: Partial<Record<ErrorCode, number>> = { ...DOMAIN_STATUS, [ErrorCode.CONFLICT]: undefined };

/**
 * A download that failed: a domain refusal as its status and message in plain text, anything else as a bare
 * 500 (logged, never shown). Once the file has started, the connection is cut so the download reads as broken.
 */
export function sendDownloadError(res: Response, e: unknown, what: string): void {
  if (res.headersSent) {
    logger.error(errorFields(e), `${what} failed while sending`);
    res.destroy();
    return;
  }
  if (e instanceof DomainError && STATUS[e.code]) {
    res.status(STATUS[e.code]!).type('text').send(e.message);
    return;
  }
  logger.error(errorFields(e), `${what} failed`);
  res.status(500).type('text').send('Internal server error');
}
