import { ErrorCode, isRowRejection, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import type { Express, Request, Response } from 'express';
import { Transform } from 'node:stream';
import { DomainError } from '../common/domain-error.js';
import { assertStorableText } from '../common/validate.js';
import { txActor } from '../common/transaction.js';
import { authorize } from '../modules/access/authorize.js';
import { validateGenericMapping, type GenericMapping } from '../modules/tickets/parsing/generic-format.js';
import { openTicketFile, TICKET_FORMATS, type TicketFormat } from '../modules/tickets/parsing/ticket-formats.js';
import type { Services } from '../services.js';
import { sessionToken } from './session-cookie.js';

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

/**
 * POST /imports/tickets?format=servicenow|jira|generic[&mapping=<JSON>]: the dashboard's upload of an export.
 * The CSV body is streamed through the same parser and idempotent import as the command line, and the answer
 * streams back as NDJSON: progress lines (rows, bytes, percent) while it runs, then the result. Browsers cannot
 * send the custom header cross-site without a CORS preflight (never granted), so a forged form cannot import.
 */
export function mountTicketImportRoute(app: Express, services: Services, limitMb: number): void {
  const maxBytes = limitMb * 1024 * 1024;
  const tooLarge = `The file is larger than ${limitMb} MB: use the command line`;
  app.post('/imports/tickets', async (req: Request, res: Response) => {
    const send = (line: object) => res.write(`${JSON.stringify(line)}\n`);
    const fail = (status: number, code: string, message: string) => {
      if (!res.headersSent) res.status(status).type('application/x-ndjson');
      send({ type: 'error', code, message });
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
      if (req.get('x-gatehouse-import') !== '1') return fail(400, ErrorCode.BAD_USER_INPUT, 'Send the X-Gatehouse-Import: 1 header');
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) return fail(401, ErrorCode.UNAUTHENTICATED, 'Sign in first');
      authorize(actor, 'tickets.import', { path: [actor.organisation.id] });
      const format = String(req.query.format ?? '') as TicketFormat;
      if (!TICKET_FORMATS.includes(format)) return fail(400, ErrorCode.BAD_USER_INPUT, 'format must be servicenow, jira or generic');
      let mapping: GenericMapping | undefined;
      if (format === 'generic') {
        try {
          mapping = validateGenericMapping(JSON.parse(String(req.query.mapping ?? '')));
        } catch (e) {
          return fail(400, ErrorCode.BAD_USER_INPUT, e instanceof DomainError ? e.message : 'mapping must be the JSON of a column mapping');
        }
      }
      const origin = assertStorableText(String(req.query.name ?? 'upload'), 'name').slice(0, 200);
      const total = Number(req.get('content-length') ?? 0);
      if (total > maxBytes) return fail(413, ErrorCode.BAD_USER_INPUT, tooLarge);

      const file = await openTicketFile(req.pipe(body), { format, mapping });
      res.status(200).type('application/x-ndjson');
      res.setHeader('Cache-Control', 'no-store');
      const source = format === 'servicenow' ? TicketSource.SERVICENOW : format === 'jira' ? TicketSource.JIRA : (mapping?.source ?? TicketSource.CSV);
      const totals = { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0 };
      const rejections: RowRejection[] = [];
      let batch: TicketRecord[] = [];
      let lastSent = 0;
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const r = await services.tickets.importer.importBatch(txActor(actor), source, batch, origin);
        totals.inserted += r.inserted;
        totals.updated += r.updated;
        totals.unchanged += r.unchanged;
        totals.slaDisagreements += r.slaDisagreements;
        batch = [];
      };
      try {
        for await (const row of file.rows) {
          totals.rows++;
          bytes = row.bytes;
          if (isRowRejection(row.result)) {
            totals.rejected++;
            if (rejections.length < 100) rejections.push(row.result);
          } else {
            batch.push(row.result);
            if (batch.length >= BATCH) await flush();
          }
          if (Date.now() - lastSent > 200) {
            lastSent = Date.now();
            send({ type: 'progress', rows: totals.rows, bytes, totalBytes: total || null, percent: total ? Math.min(100, Math.round((bytes / total) * 1000) / 10) : null });
          }
        }
        await flush();
      } finally {
        file.close();
      }
      send({ type: 'progress', rows: totals.rows, bytes, totalBytes: total || null, percent: 100 });
      send({ type: 'done', ...totals, rejections });
      res.end();
    } catch (e) {
      if (overLimit) return fail(413, ErrorCode.BAD_USER_INPUT, `${tooLarge}; batches already reported were saved`);
      if (e instanceof DomainError) return fail(e.code === ErrorCode.FORBIDDEN ? 403 : 400, e.code, e.message);
      console.error('ticket upload failed:', e);
      fail(500, ErrorCode.INTERNAL_SERVER_ERROR, 'The import failed; batches already reported were saved, run it again to finish');
    }
  });
}
