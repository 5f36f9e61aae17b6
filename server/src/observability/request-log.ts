import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { getOperationAST } from 'graphql';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

/** What one request's log line and metrics say, filled in as the request goes (GraphQL adds its part). */
export interface RequestObservation {
  requestId: string;
  userId?: string;
  operation?: string;
  operationType?: string;
  errorCodes: string[];
}

/** The observation of an Express response (set by requestLogging). */
export function observationOf(res: Response): RequestObservation | undefined {
  return res.locals.observation as RequestObservation | undefined;
}

/** A caller's request id is kept when it looks like one (a proxy's), so lines can be joined across services. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Paths named in metrics; anything else is the web app (or its static files). */
const ROUTES = ['/graphql', '/healthz', '/livez', '/readyz', '/metrics', '/reviews/', '/imports/', '/audit.csv', '/audit/', '/auth/oidc/'];

function routeOf(path: string): string {
  return ROUTES.find((r) => (r.endsWith('/') ? path.startsWith(r) : path === r)) ?? 'web';
}

/**
 * One JSON line per HTTP request when it ends: request id, method, path (no query string), status, duration, user
 * id and, for GraphQL, the operation's name and type and the error codes answered. Nothing of the headers or the
 * body is logged, so no token, password or cookie can reach the log. The same figures feed the metrics.
 */
export function requestLogging(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const offered = req.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    const observation: RequestObservation = { requestId, errorCodes: [] };
    res.locals.observation = observation;
    res.setHeader('X-Request-Id', requestId);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : 499;
      const codes = observation.errorCodes.length > 0 ? observation.errorCodes : status >= 400 ? [`HTTP_${status}`] : [];
      const path = req.originalUrl.split('?')[0]!;
      const graphql = observation.operationType !== undefined || path === '/graphql';
      metrics.observeRequest(graphql ? (observation.operation ?? 'anonymous') : `${req.method} ${routeOf(path)}`, graphql ? 'graphql' : 'http', seconds, codes);
      const line = {
        reqId: requestId,
        method: req.method,
        path: path.slice(0, 300),
        status,
        durationMs: Math.round(seconds * 1e5) / 100,
        userId: observation.userId ?? null,
        ...(graphql ? { operation: observation.operation ?? null, operationType: observation.operationType ?? null } : {}),
        errorCodes: codes,
      };
      if (status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

/** Apollo's part of the request line: which operation ran and the codes of the errors it answered. */
export function observationPlugin(): ApolloServerPlugin<{ observation?: RequestObservation }> {
  return {
    async requestDidStart({ contextValue, request }) {
      const observation = contextValue.observation;
      if (!observation) return;
      if (typeof request.operationName === 'string') observation.operation = request.operationName.slice(0, 100);
      return {
        // A query that fails validation never resolves an operation: its name comes from the parsed document.
        async validationDidStart({ document }) {
          const name = getOperationAST(document, request.operationName)?.name?.value;
          if (name) observation.operation = name.slice(0, 100);
        },
        async didResolveOperation({ operation, operationName }) {
          if (operation) observation.operationType = operation.operation;
          if (operationName) observation.operation = operationName.slice(0, 100);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const e of errors ?? []) {
            const code = e.extensions?.code;
            observation.errorCodes.push(typeof code === 'string' ? code : 'UNKNOWN');
          }
        },
      };
    },
  };
}
