import { ErrorCode, megabytes, type UploadLine } from '@gatehouse/shared';
import type { Express, Request, Response } from 'express';
import { Transform } from 'node:stream';
import { DomainError } from '../../common/domain-error.js';
import { txActor } from '../../common/transaction.js';
import { assertStorableText } from '../../common/validate.js';
import { type Actor, authorize } from '../access/index.js';
import { importOptionsFrom } from './parsing/import-options.js';
import { openTicketFile } from './parsing/ticket-formats.js';
import { previewTicketFile, PREVIEW_BYTES } from './parsing/ticket-preview.js';
import type { Services } from '../context.js';
import { readBody } from '../../http/upload-request.js';
import { uploader, type UploadRefusal } from '../import-uploader.js';
import { errorFields, logger } from '../../observability/logger.js';

const BATCH = 2000;

/** Passes bytes through until `max` went by, then fails: a chunked upload announces no length to refuse up front. */
function byteLimit(max: number, onExceeded: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) {
        onExceeded();
        done(new Error('upload over the size limit'));
      } else done(null, chunk);
    },
  });
}

/** The signed-in admin of an import request, or the error line to answer with. */
async function importer(req: Request, services: Services): Promise<Actor | UploadRefusal> {
  const actor = await uploader(req, services);
  if ('userId' in actor) authorize(actor, 'tickets.import', { path: [actor.organisation.id] });
  return actor;
}

/**
 * POST /imports/tickets[?format=…&mapping=<JSON>&columns=<JSON>&dateOrder=dmy|mdy&timeZone=…]: the dashboard's
 * upload of an export. The body goes through the same recognition, parser and idempotent import as the command
 * line (the format is detected unless named), and the answer streams back as NDJSON: how the file was read,
 * progress lines (rows, bytes, percent) while it runs, then the result with its warnings. Browsers cannot send
 * the custom header cross-site without a CORS preflight (never granted), so a forged form cannot import.
 *
 * POST /imports/tickets/preview with the same parameters and the file's first bytes: how it would be read and
 * its first rows as they would be stored, as one JSON answer; nothing is written.
 */
export function mountTicketImportRoute(app: Express, services: Services, limitMb: number): void {
  const maxBytes = megabytes(limitMb);
  const tooLarge = `The file is larger than ${limitMb} MB: use the command line`;
  app.post('/imports/tickets/preview', async (req: Request, res: Response) => {
    try {
      const actor = await importer(req, services);
      if (!('userId' in actor)) {
        res.status(actor.status).json({ code: actor.code, message: actor.message });
        return;
      }
      const options = importOptionsFrom(req.query);
      const head = await readBody(req, PREVIEW_BYTES);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await previewTicketFile(head, options));
    } catch (e) {
      if (e instanceof DomainError) {
        res.status(e.code === ErrorCode.FORBIDDEN ? 403 : 400).json({ code: e.code, message: e.message, field: e.details?.field ?? null, reason: e.details?.reason ?? null });
        return;
      }
      logger.error(errorFields(e), 'ticket preview failed');
      res.status(500).json({ code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'The preview failed' });
    }
  });

  app.post('/imports/tickets', async (req: Request, res: Response) => {
    const send = (line: UploadLine) => res.write(`${JSON.stringify(line)}\n`);
    const fail = (status: number, code: string, message: string, reason?: string) => {
      if (!res.headersSent) res.status(status).type('application/x-ndjson');
      send({ type: 'error', code, message, reason: reason ?? null });
      res.end();
    };
    // The parser destroys its input when it stops early (a wrong header, a failed batch). Destroying the request
    // itself would close the socket before the answer is written, so it reads a pass-through that also counts the
    // bytes, and whatever the parser leaves unread of the request is drained here instead; past the size limit
    // the connection is closed once the answer is out, never drained.
    let overLimit = false;
    const body = byteLimit(maxBytes, () => (overLimit = true));
    res.on('finish', () => {
      req.unpipe(body);
      if (overLimit) req.destroy();
      else req.resume();
    });
    try {
      const actor = await importer(req, services);
      if (!('userId' in actor)) return fail(actor.status, actor.code, actor.message);
      const options = importOptionsFrom(req.query);
      const origin = assertStorableText(String(req.query.name ?? 'upload'), 'name').slice(0, 200);
      const total = Number(req.get('content-length') ?? 0);
      if (total > maxBytes) return fail(413, ErrorCode.BAD_USER_INPUT, tooLarge);

      const file = await openTicketFile(req.pipe(body), options);
      res.status(200).type('application/x-ndjson');
      res.setHeader('Cache-Control', 'no-store');
      send({ type: 'recognised', recognition: file.recognition });
      let lastSent = 0;
      let bytes = 0;
      const progress = (rows: number, percent: number | null) =>
        send({ type: 'progress', rows, bytes, totalBytes: total || null, percent: percent ?? (total ? Math.min(100, Math.round((bytes / total) * 1000) / 10) : null) });
      const run = await services.tickets.importer
        .importRows(txActor(actor), file.source, file.batches, {
          origin,
          batchSize: BATCH,
          keepRejections: 100,
          onRows: (totals, read) => {
            bytes = read;
            if (Date.now() - lastSent > 200) {
              lastSent = Date.now();
              progress(totals.rows, null);
            }
          },
        })
        .finally(() => file.close());
      const { groupsTouched: _groups, ...totals } = run.totals;
      progress(totals.rows, 100);
      send({ type: 'done', ...totals, emptyRows: file.emptyRows, rejections: run.rejections, warnings: file.warnings(), recognition: file.recognition });
      res.end();
    } catch (e) {
      if (overLimit) return fail(413, ErrorCode.BAD_USER_INPUT, `${tooLarge}; batches already reported were saved`);
      if (e instanceof DomainError) return fail(e.code === ErrorCode.FORBIDDEN ? 403 : 400, e.code, e.message, typeof e.details?.reason === 'string' ? e.details.reason : undefined);
      logger.error(errorFields(e), 'ticket upload failed');
      fail(500, ErrorCode.INTERNAL_SERVER_ERROR, 'The import failed; batches already reported were saved, run it again to finish');
    }
  });
}
