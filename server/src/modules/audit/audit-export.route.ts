import { ErrorCode } from '@gatehouse/shared';
import type { Express, Request } from 'express';
import { DomainError } from '../../common/domain-error.js';
import { auditCsv } from './audit-export.js';
import type { AuditFilter } from './audit.service.js';
import type { Services } from '../context.js';
import { sendDownloadError } from '../../http/download-errors.js';
import { sessionToken } from '../../http/session-cookie.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The web app's audit filters from the URL: entity (an id or a measure code), action, actor, from and to (whole UTC days). */
export function auditFilterOf(query: Request['query']): AuditFilter {
  const one = (key: string) => {
    const v = query[key];
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const day = (key: string, time: string) => {
    const v = one(key);
    if (v === null) return null;
    const date = new Date(`${v}T${time}Z`);
    if (!DAY.test(v) || Number.isNaN(date.getTime())) throw new DomainError(ErrorCode.BAD_USER_INPUT, `${key} must be a date such as 2026-01-31`);
    return date;
  };
  return { entityId: one('entity'), action: one('action'), actorId: one('actor'), from: day('from', '00:00:00.000'), to: day('to', '23:59:59.999') };
}

/** GET /audit.csv?entity=&action=&actor=&from=&to=: every audit entry the caller may read that matches, as CSV. */
export function mountAuditExportRoute(app: Express, services: Services): void {
  app.get('/audit.csv', async (req, res) => {
    try {
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
      const lines = auditCsv(services.audit, services.loaders(), actor, auditFilterOf(req.query));
      // The first line is written only once the filters and the caller's rights were checked.
      const header = await lines.next();
      const first = await lines.next();
      res.setHeader('Cache-Control', 'no-store');
      res.type('text/csv; charset=utf-8').attachment(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`);
      res.write(`\uFEFF${header.value}\r\n`);
      if (!first.done) res.write(`${first.value}\r\n`);
      for await (const line of lines) if (!res.write(`${line}\r\n`)) await new Promise((resolve) => res.once('drain', resolve));
      res.end();
    } catch (e) {
      sendDownloadError(res, e, 'audit export');
    }
  });
}
