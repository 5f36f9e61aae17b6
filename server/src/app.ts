import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from './config/config.js';
import type { Database } from './database/database.js';
import type { GraphQLContext } from './modules/context.js';
import { createFormatError } from './graphql/format-error.js';
import { buildGatehouseSchema } from './schema.js';
import { cookieJar, sessionToken } from './http/session-cookie.js';
import { createServices, type Services } from './services.js';
import { LocalEventBus, type EventBus } from './events/event-bus.js';
import { mountAuditCheckpointsRoute } from './http/audit-checkpoints.route.js';
import { mountAuditExportRoute } from './modules/audit/audit-export.route.js';
import { mountReviewPackRoutes } from './modules/governance/review-pack.route.js';
import { mountEvidenceFileRoutes } from './modules/governance/evidence-file.route.js';
import { mountTicketImportRoute } from './modules/tickets/ticket-import.route.js';
import { mountOidcRoutes } from './modules/users/oidc.route.js';
import { mountMeasureImportRoutes } from './modules/measures/measure-import.route.js';
import { attachSubscriptions } from './modules/live/websocket.js';
import { readOnlyTokenPlugin } from './modules/users/read-only-token.plugin.js';
import { costLimitPlugin, queryLimitRules, queryParseOptions } from './graphql/query-limits.js';
import { requestErrorHandler } from './http/request-errors.js';
import { securityHeaders } from './http/security-headers.js';
import type { Logger } from 'pino';
import { logger as processLogger } from './observability/logger.js';
import { Metrics, poolStats } from './observability/metrics.js';
import { observationOf, observationPlugin, requestLogging } from './observability/request-log.js';

export type AppConfig = Pick<Config, 'nodeEnv' | 'session' | 'webDistDir' | 'http' | 'graphql' | 'loginThrottle' | 'audit' | 'publicUrl' | 'signIn'>;

export interface App {
  httpServer: http.Server;
  services: Services;
  metrics: Metrics;
  listen(port: number, host?: string): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, then returns; the caller closes the database. */
  stop(): Promise<void>;
}

/** In-flight requests get this long after SIGTERM; then connections are cut, so the process is gone within 10 s. */
export const DRAIN_MS = 6_000;

/**
 * The HTTP server: POST /graphql, the web app at /, health (/healthz, /livez, /readyz) and /metrics. Requests are
 * logged through `options.logger` (the process's logger unless given).
 */
export async function createApp(
  config: AppConfig,
  db: Database,
  bus: EventBus = new LocalEventBus(),
  options: { logger?: Logger } = {},
): Promise<App> {
  const log = options.logger ?? processLogger;
  const services = createServices(db, config, bus);
  const schema = await buildGatehouseSchema(bus);
  const expressApp = express();
  expressApp.disable('x-powered-by');
  // Only behind a known number of proxies are X-Forwarded-For the client's address (sign-in throttle) and
  // X-Forwarded-Proto its scheme (req.secure, the session cookie's Secure flag).
  if (config.http.trustProxyHops > 0) expressApp.set('trust proxy', config.http.trustProxyHops);
  const production = config.nodeEnv === 'production';
  const httpServer = http.createServer(expressApp);
  const subscriptions = attachSubscriptions(httpServer, schema, services, config, log);
  const metrics = new Metrics({ openSubscriptions: () => subscriptions.openSubscriptions(), pool: () => poolStats(db.dataSource.driver), bus });
  expressApp.use(requestLogging(log, metrics));
  expressApp.use(securityHeaders(production));
  let stopping = false;

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError: createFormatError(config.graphql),
    includeStacktraceInErrorResponses: false,
    // The web app sends no persisted queries; a cache anyone could fill before sign-in buys nothing.
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    // Browsers may not send a simple (preflight-free) cross-site request that Apollo would execute.
    csrfPrevention: true,
    introspection: config.graphql.introspection,
    hideSchemaDetailsFromClientErrors: !config.graphql.fieldSuggestions,
    validationRules: queryLimitRules(),
    parseOptions: queryParseOptions(),
    plugins: [
      costLimitPlugin(),
      readOnlyTokenPlugin(),
      observationPlugin(),
      // Idle connections close at once; busy ones get DRAIN_MS less a margin before they are cut.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: DRAIN_MS - 1000 }),
      // We send no cache hints; the default cache-control plugin would still wrap every field resolution.
      ApolloServerPluginCacheControlDisabled(),
      // Closes subscriptions when the server stops, so the drain is not held open by WebSockets.
      { serverWillStart: async () => ({ drainServer: () => subscriptions.dispose() }) },
    ],
  });
  await apollo.start();

  expressApp.get('/healthz', async (_req, res) => {
    const ok = db.migrated && (await db.ping());
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: db.kind });
  });
  // Liveness: the process answers (a restart would not help with anything else).
  expressApp.get('/livez', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  // Readiness: send traffic here only while migrated, the database answers and no shutdown has begun.
  expressApp.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const checks = { migrations: db.migrated, database: !stopping && (await db.ping()), shuttingDown: stopping };
    const ready = checks.migrations && checks.database && !stopping;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', ...checks });
  });
  expressApp.get('/metrics', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  expressApp.use(
    '/graphql',
    // Answers depend on who asks (the session cookie or token): no browser or proxy may keep one.
    noStore,
    // Capped (413 above it); the default leaves room for importTickets' 5,000 tickets in one call.
    express.json({ limit: config.http.bodyLimitKb * 1024 }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const token = sessionToken(req.headers);
        const actor = await services.auth.authenticate(token);
        const observation = observationOf(res);
        if (observation && actor) observation.userId = actor.userId;
        return {
          actor,
          observation,
          services,
          loaders: services.loaders(),
          cookies: cookieJar(req, res, production),
          clientAddress: req.ip ?? req.socket.remoteAddress,
          userAgent: req.get('user-agent'),
          // One-time links point at PUBLIC_URL when set, else at the address the admin reached the server by.
          publicUrl: config.publicUrl ?? `${req.protocol}://${req.get('host')}`,
          previousToken: token,
        };
      },
    }),
    requestErrorHandler,
  );

  mountReviewPackRoutes(expressApp, services);
  mountTicketImportRoute(expressApp, services, config.http.uploadLimitMb);
  mountEvidenceFileRoutes(expressApp, services, config.http.allowedOrigins);
  mountMeasureImportRoutes(expressApp, services);
  mountAuditExportRoute(expressApp, services);
  mountAuditCheckpointsRoute(expressApp, services);
  mountOidcRoutes(expressApp, services, services.oidc, production);
  serveWebApp(expressApp, config.webDistDir);

  return {
    httpServer,
    services,
    metrics,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve(`http://${host && host !== '0.0.0.0' ? host : 'localhost'}:${actualPort}`);
        });
      }),
    stop: async () => {
      stopping = true;
      // Apollo's drain lets in-flight requests finish; it is bounded so that a connection that never ends
      // (a proxy's idle keep-alive, a stuck client) cannot hold the shutdown past the orchestrator's patience.
      const drained = await Promise.race([apollo.stop().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), DRAIN_MS).unref())]);
      if (!drained) httpServer.closeAllConnections();
      metrics.close();
      await Promise.race([bus.close(), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}

const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** The built Vue app, with every unknown GET path answered by index.html so client-side routes survive a reload. */
function serveWebApp(app: express.Express, distDir: string): void {
  const index = path.join(distDir, 'index.html');
  app.use(express.static(distDir, { index: false, maxAge: '1h' }));
  app.get(/^(?!\/graphql|\/healthz|\/livez|\/readyz|\/metrics|\/reviews\/|\/imports\/|\/evidence\/|\/audit\.csv|\/audit\/checkpoints\.json|\/auth\/oidc\/).*/, (_req, res) => {
    if (!fs.existsSync(index)) {
      res.status(503).type('text').send('The web app is not built: run `npm run build`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
