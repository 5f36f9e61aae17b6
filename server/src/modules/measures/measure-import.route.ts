import { ErrorCode, type MeasureImportLine } from '@gatehouse/shared';
import type { Express, Request, Response } from 'express';
import { DomainError } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { DOMAIN_STATUS, sendDownloadError } from '../../http/download-errors.js';
import { readBody } from '../../http/upload-request.js';
import { uploader } from '../import-uploader.js';
import { sessionToken } from '../../http/session-cookie.js';
import { errorFields, logger } from '../../observability/logger.js';
import type { Services } from '../context.js';

/** A spreadsheet of measures is small next to a ticket export: 20 000 rows of a few kB at most. */
export const MEASURE_UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * POST /imports/measures[?dryRun=1]: the body is the .xlsx or CSV file (measure-sheet.ts). The answer is NDJSON
 * (shared measure-import-protocol.ts): progress lines after each batch, then `measures-done` with the report,
 * or an `error` line. Like the ticket upload it needs the X-Gatehouse-Import: 1 header, which a cross-site form
 * cannot send. GET /exports/measures.xlsx and /exports/measures.csv[?scopeId=…]: the measures the caller may read,
 * in the same shape.
 */
export function mountMeasureImportRoutes(app: Express, services: Services): void {
  app.post('/imports/measures', async (req: Request, res: Response) => {
    const send = (line: MeasureImportLine) => res.write(`${JSON.stringify(line)}\n`);
    const fail = (status: number, code: string, message: string) => {
      if (!res.headersSent) res.status(status).type('application/x-ndjson');
      send({ type: 'error', code, message, reason: null });
      res.end();
    };
    try {
      const actor = await uploader(req, services);
      if (!('userId' in actor)) return fail(actor.status, actor.code, actor.message);
      if (Number(req.get('content-length') ?? 0) > MEASURE_UPLOAD_LIMIT_BYTES) return fail(413, ErrorCode.BAD_USER_INPUT, 'The file is larger than 20 MB');
      // One byte over the limit is enough to know; the rest is drained so the client reads the answer.
      const body = await readBody(req, MEASURE_UPLOAD_LIMIT_BYTES + 1);
      if (body.length > MEASURE_UPLOAD_LIMIT_BYTES) return fail(413, ErrorCode.BAD_USER_INPUT, 'The file is larger than 20 MB');
      const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
      res.status(200).type('application/x-ndjson');
      res.setHeader('Cache-Control', 'no-store');
      const report = await services.measureImport.importFile(actor, body, {
        dryRun,
        onProgress: (done, total) => send({ type: 'progress', rows: done, bytes: body.length, totalBytes: body.length, percent: total ? Math.round((done / total) * 1000) / 10 : 100 }),
      });
      send({ type: 'measures-done', report });
      res.end();
    } catch (e) {
      if (e instanceof DomainError) return fail(DOMAIN_STATUS[e.code] ?? 400, e.code, e.message);
      logger.error(errorFields(e), 'measure import failed');
      fail(500, ErrorCode.INTERNAL_SERVER_ERROR, 'The import failed; batches already reported were saved, run it again to finish');
    }
  });

  app.get('/exports/measures.:format', async (req, res) => {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'xlsx') {
      res.status(404).type('text').send('Unknown format: use measures.xlsx or measures.csv');
      return;
    }
    try {
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
      const scopeId = typeof req.query.scopeId === 'string' && req.query.scopeId ? assertId(req.query.scopeId, 'scopeId') : null;
      const bytes = await services.measureImport.exportFile(actor, format, scopeId);
      res.setHeader('Cache-Control', 'no-store');
      res
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment(`measures-${new Date().toISOString().slice(0, 10)}.${format}`)
        .send(bytes);
    } catch (e) {
      sendDownloadError(res, e, 'measure export');
    }
  });
}
