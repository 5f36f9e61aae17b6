import { ErrorCode } from '@gatehouse/shared';
import type { Express } from 'express';
import { DomainError } from '../../common/domain-error.js';
import { buildReviewPack, reviewPackCsv, reviewPackHtml } from './review-pack.js';
import type { Services } from '../context.js';
import { sendDownloadError } from '../../http/download-errors.js';
import { sessionToken } from '../../http/session-cookie.js';

/** GET /reviews/:id/pack.csv and /reviews/:id/pack.html: the review pack as a download or a printable page. */
export function mountReviewPackRoutes(app: Express, services: Services): void {
  app.get('/reviews/:id/pack.:format', async (req, res) => {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'html') {
      res.status(404).type('text').send('Unknown pack format: use pack.csv or pack.html');
      return;
    }
    try {
      const actor = await services.auth.authenticate(sessionToken(req.headers));
      if (!actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
      const pack = await buildReviewPack(services, actor, req.params.id);
      const name = `gate-review-${pack.heldOn.toISOString().slice(0, 10)}`;
      res.setHeader('Cache-Control', 'no-store');
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(`\uFEFF${reviewPackCsv(pack)}`);
      } else {
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
        res.type('html').send(reviewPackHtml(pack));
      }
    } catch (e) {
      sendDownloadError(res, e, 'review pack');
    }
  });
}
