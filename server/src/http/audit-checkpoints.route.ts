import { ErrorCode } from '@gatehouse/shared';
import type { Express } from 'express';
import { DomainError } from '../common/domain-error.js';
import type { Services } from '../services.js';
import { sessionToken } from './session-cookie.js';
import { errorFields, logger } from '../observability/logger.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.CONFLICT]: 409,
};

/**
 * GET /audit/checkpoints.json: the signed checkpoints and the chain's hashes as a download, for admins and
 * controllers of the organisation. Kept outside the database, the file lets `npm run audit -- verify --checkpoints
 * FILE` name the first entry that differs even after someone rewrote every table.
 */
export function mountAuditCheckpointsRoute(app: Express, services: Services): void {
  app.get('/audit/checkpoints.json', async (req, res) => {
    try {
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
      const file = await services.audit.exportCheckpoints(actor);
      res.setHeader('Cache-Control', 'no-store');
      res.type('application/json').attachment(`audit-checkpoints-${file.exportedAt.slice(0, 10)}.json`).send(JSON.stringify(file, null, 1));
    } catch (e) {
      if (e instanceof DomainError && STATUS[e.code]) {
        res.status(STATUS[e.code]!).json({ errors: [{ message: e.message, extensions: { code: e.code } }] });
        return;
      }
      logger.error(errorFields(e), 'audit export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
    }
  });
}
