import { ErrorCode, EVIDENCE_FILE_MAX_BYTES, EVIDENCE_TOO_LARGE, EVIDENCE_TYPE_REFUSED } from '@gatehouse/shared';
import type { Express, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { DomainError } from '../../common/domain-error.js';
import { sendDownloadError } from '../../http/download-errors.js';
import { isAllowedOrigin } from '../../http/origin.js';
import { sessionToken } from '../../http/session-cookie.js';
import { errorFields, logger } from '../../observability/logger.js';
import { mayChangeAnything } from '../access/index.js';
import type { Services } from '../context.js';
import { sniffEvidenceFileType } from './evidence-file-type.js';
import { evidenceFileUrl } from './evidence.resolver.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Body = { overLimit: false; content: Buffer; sha256: string } | { overLimit: true };

/**
 * Reads the request body as it streams in, hashing it on the way, up to `max` bytes. Past the limit it stops
 * reading (the request is paused, never drained) and answers `overLimit`: a chunked upload announces no length
 * to refuse up front.
 */
function readBody(req: Request, max: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    let size = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        done();
        req.pause();
        resolve({ overLimit: true });
        return;
      }
      chunks.push(chunk);
      hash.update(chunk);
    };
    const onEnd = () => {
      done();
      resolve({ overLimit: false, content: Buffer.concat(chunks, size), sha256: hash.digest('hex') });
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onClose = () => {
      done();
      reject(new Error('the upload was interrupted'));
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

const param = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `attachment` with the name as RFC 5987 UTF-8 (every browser reads it) and a plain ASCII fallback. */
export function attachmentHeader(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * POST /measures/:id/evidence/files?name=…[&kind=IMPLEMENTATION|VALUE|OTHER&title=…&note=…] with the file as the
 * raw body, and the X-Gatehouse-Upload: 1 header (a custom header: a browser cannot send it cross-site without
 * a CORS preflight, never granted, so a forged form cannot attach anything; an Origin, when sent, must be ours).
 * Whoever may add evidence to the measure may attach (`evidence.add`), not with a read-only API token, not to a
 * closed measure. The type is sniffed from the bytes; the body is streamed, hashed and refused past 25 MB (413).
 * Answers 201 with the new evidence, or `{ code, message }`: 400/401/403/404/409, 413 too large, 415 type refused.
 *
 * GET /evidence/:id/file: the file as an attachment with its sniffed type and nosniff, to whoever may read the
 * measure.
 */
export function mountEvidenceFileRoutes(app: Express, services: Services, allowedOrigins: readonly string[]): void {
  app.post('/measures/:id/evidence/files', async (req: Request, res: Response) => {
    let consumed = false;
    let overLimit = false;
    res.on('finish', () => {
      if (consumed) return;
      // Past the limit (announced or counted) the connection is closed once the answer is out, never drained; a
      // refusal before the body was read drains it (so the client reads the answer) up to the limit only.
      if (overLimit) {
        req.destroy();
        return;
      }
      let drained = 0;
      req.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > EVIDENCE_FILE_MAX_BYTES) req.destroy();
      });
      req.resume();
    });
    const answer = (status: number, code: ErrorCode, message: string) => {
      res.setHeader('Cache-Control', 'no-store');
      res.status(status).json({ code, message });
    };
    try {
      if (!isAllowedOrigin(req.get('origin'), req.get('host'), allowedOrigins)) throw new Refusal(403, ErrorCode.FORBIDDEN, 'Uploads are taken from Gatehouse’s own pages only');
      if (req.get('x-gatehouse-upload') !== '1') throw new Refusal(400, ErrorCode.BAD_USER_INPUT, 'Send the X-Gatehouse-Upload: 1 header');
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) throw new Refusal(401, ErrorCode.UNAUTHENTICATED, 'Sign in first');
      if (!mayChangeAnything(actor)) throw new Refusal(403, ErrorCode.FORBIDDEN, 'This API token is read-only');
      const measureId = String(req.params.id);
      await services.evidence.assertMayAttach(actor, measureId);
      const announced = Number(req.get('content-length') ?? 0);
      if (announced > EVIDENCE_FILE_MAX_BYTES) {
        overLimit = true;
        throw new Refusal(413, ErrorCode.BAD_USER_INPUT, EVIDENCE_TOO_LARGE);
      }
      const body = await readBody(req, EVIDENCE_FILE_MAX_BYTES);
      if (body.overLimit) {
        overLimit = true;
        throw new Refusal(413, ErrorCode.BAD_USER_INPUT, EVIDENCE_TOO_LARGE);
      }
      consumed = true;
      if (body.content.length === 0) throw new Refusal(400, ErrorCode.BAD_USER_INPUT, 'The file is empty');
      const fileName = param(req.query.name) ?? '';
      const type = await sniffEvidenceFileType(body.content, fileName);
      if (!type) throw new Refusal(415, ErrorCode.BAD_USER_INPUT, EVIDENCE_TYPE_REFUSED);
      const evidence = await services.evidence.addEvidenceFile(actor, measureId, {
        kind: param(req.query.kind),
        title: param(req.query.title),
        note: param(req.query.note),
        fileName,
        type,
        content: body.content,
        sha256: body.sha256,
      });
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).json({
        id: evidence.id,
        kind: evidence.kind,
        title: evidence.title,
        file: { name: evidence.fileName, type: evidence.fileType, size: evidence.fileSize, sha256: evidence.fileSha256, downloadUrl: evidenceFileUrl(evidence.id) },
      });
    } catch (e) {
      if (res.headersSent) return;
      if (e instanceof Refusal) return answer(e.status, e.code, e.message);
      if (e instanceof DomainError) return answer(STATUS[e.code] ?? 400, e.code, e.message);
      logger.error(errorFields(e), 'evidence upload failed');
      answer(500, ErrorCode.INTERNAL_SERVER_ERROR, 'The upload failed; nothing was stored');
    }
  });

  app.get('/evidence/:id/file', async (req, res) => {
    try {
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
      const file = await services.evidence.readEvidenceFile(actor, String(req.params.id));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Type', file.type.startsWith('text/') ? `${file.type}; charset=utf-8` : file.type);
      res.setHeader('Content-Disposition', attachmentHeader(file.name));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Should a browser render it anyway, it runs nothing and reaches nothing.
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Content-Length', String(file.size));
      res.end(file.content);
    } catch (e) {
      sendDownloadError(res, e, 'evidence download');
    }
  });
}
