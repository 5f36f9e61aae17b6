import type http from 'node:http';
import { ErrorCode } from '@gatehouse/shared';
import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../../config/config.js';
import { createFormatError } from '../../graphql/format-error.js';
import { costCheck, extraValidationRules, queryParseOptions, withoutSuggestions } from '../../graphql/query-limits.js';
import type { Actor } from '../access/index.js';
import type { GraphQLContext, Services } from '../context.js';
import { isAllowedOrigin } from '../../http/origin.js';
import { sessionToken } from '../../http/session-cookie.js';
import { grantsSignature, SubscriptionMulticast } from '../../http/subscription-multicast.js';
import { CLOSE_TRY_AGAIN_LATER, requireConnectionInitFirst, SessionConnections, SubscriptionBudget, WEBSOCKET_LIMITS } from '../../http/websocket-limits.js';
import type { Logger } from 'pino';
import { logger } from '../../observability/logger.js';

/**
 * How long a connection trusts the session and roles it last read before an event re-reads them. Within a burst
 * of events (an import touching hundreds of measures) that is one query per connection per second instead of
 * one per event; a revoked role or session stops delivery within this time on any instance, and at once on
 * this one (logout and deactivation close the sockets directly, below).
 */
export const SESSION_RECHECK_MS = 1000;

type ConnectionExtra = {
  actor?: Actor;
  checkedAt?: number;
  budget?: SubscriptionBudget;
  request: http.IncomingMessage;
  socket: WebSocket;
  /** Subscriptions running on the connection, by id: their operation and start, for the log line at their end. */
  running?: Map<string, { operation: string | null; started: number }>;
};

/**
 * GraphQL subscriptions over graphql-ws on /graphql.
 * - The upgrade is refused (403) for a browser page of an origin other than ours or ALLOWED_ORIGINS.
 * - What one connection may take (websocket-limits.ts): messages of 64 KiB, connection_init first and within 3 s,
 *   10 connections per session, 10 subscriptions per connection whose costs together stay within one request's.
 * - A connection authenticates at connection_init with `connectionParams.token` or the session cookie; without a
 *   valid session it is closed with 4403.
 * - Every subscribe message is parsed with the token limit, validated with the same rules as HTTP, and costed
 *   like a query (with its variables).
 * - Only subscriptions: queries and mutations go over HTTP, where cookies, CSRF prevention and the sign-in
 *   throttle apply.
 * - Before every event the session and roles are re-checked (cached for SESSION_RECHECK_MS); an ended session
 *   closes the connection with 4403.
 */
export function attachSubscriptions(
  httpServer: http.Server,
  schema: GraphQLSchema,
  services: Services,
  config: Pick<Config, 'http' | 'graphql'>,
  log: Logger = logger,
) {
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: WEBSOCKET_LIMITS.maxPayloadBytes,
    verifyClient: ({ origin, req }, done) => {
      if (isAllowedOrigin(origin, req.headers.host, config.http.allowedOrigins)) done(true);
      else done(false, 403, 'Origin not allowed');
    },
  });
  const rules = [...specifiedRules, ...extraValidationRules({ introspection: config.graphql.introspection })];
  const formatError = createFormatError(config.graphql);
  const reword = (e: GraphQLError) => (config.graphql.fieldSuggestions ? e : new GraphQLError(withoutSuggestions(e.message), { nodes: e.nodes }));

  requireConnectionInitFirst(wss);
  /** Authenticated connections of this instance (graphql-ws's `extra` of each). */
  const connections = new Set<ConnectionExtra>();
  const perSession = new SessionConnections<ConnectionExtra>();
  /** graphql-ws's context of each connection, whose `subscriptions` are those open on it (for the gauge). */
  const contexts = new Set<{ subscriptions: Record<string, unknown> }>();
  const logEnd = (extra: ConnectionExtra, id: string) => {
    const run = extra.running?.get(id);
    if (!run) return;
    extra.running!.delete(id);
    log.info({ subscriptionId: id, userId: extra.actor?.userId ?? null, operation: run.operation, operationType: 'subscription', durationMs: Date.now() - run.started }, 'subscription ended');
  };
  const endSession = (extra: ConnectionExtra) => extra.socket.close(CloseCode.Forbidden, 'Session ended');

  // One re-read per session per SESSION_RECHECK_MS, shared by all of the session's connections (a dashboard
  // with many tabs, or many subscriptions) instead of one per connection.
  const sessionReads = new Map<string, { at: number; actor: Promise<Actor | null> }>();
  const readSession = (hash: string, apiToken: boolean): Promise<Actor | null> => {
    const cached = sessionReads.get(hash);
    if (cached && Date.now() - cached.at < SESSION_RECHECK_MS) return cached.actor;
    const actor = services.auth.authenticateHash(hash, { touch: false, apiToken });
    sessionReads.set(hash, { at: Date.now(), actor });
    if (sessionReads.size > 10_000) sessionReads.delete(sessionReads.keys().next().value!);
    return actor;
  };

  /** The connection's actor as it is now, or null (and the socket closed) once its session has ended. */
  const refresh = async (extra: ConnectionExtra): Promise<Actor | null> => {
    if (!extra.actor) return null;
    if (extra.checkedAt !== undefined && Date.now() - extra.checkedAt < SESSION_RECHECK_MS) return extra.actor;
    const actor = await readSession(extra.actor.sessionTokenHash, extra.actor.apiToken !== undefined);
    if (!actor) {
      endSession(extra);
      return null;
    }
    extra.actor = actor;
    extra.checkedAt = Date.now();
    return actor;
  };

  const multicast = new SubscriptionMulticast(async (context) => {
    // A subscriber keeps receiving a shared execution's results only while its session lives and its roles are
    // still those the execution runs with; otherwise its subscription ends (the client subscribes again).
    const actor = await (context as GraphQLContext).refreshActor?.();
    return actor ? grantsSignature(actor) : null;
  });

  const server = useServer<Record<string, unknown>, Omit<ConnectionExtra, 'socket' | 'request'>>(
    {
      schema,
      subscribe: multicast.subscribe,
      connectionInitWaitTimeout: WEBSOCKET_LIMITS.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        const token = typeof ctx.connectionParams?.token === 'string' ? ctx.connectionParams.token : sessionToken({ cookie: extra.request.headers.cookie });
        const actor = await services.auth.authenticate(token);
        if (!actor) return false;
        if (!perSession.admit(actor.sessionTokenHash, extra)) {
          extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'Too many connections for this session');
          return false;
        }
        extra.actor = actor;
        extra.checkedAt = Date.now();
        extra.budget = new SubscriptionBudget();
        connections.add(extra);
        contexts.add(ctx);
        extra.socket.once('close', () => {
          for (const id of [...(extra.running?.keys() ?? [])]) logEnd(extra, id);
          connections.delete(extra);
          contexts.delete(ctx);
          perSession.release(actor.sessionTokenHash, extra);
        });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        if (!(await refresh(extra))) return [new GraphQLError('Sign in first', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        let document: DocumentNode;
        try {
          document = parse(payload.query, queryParseOptions());
        } catch (e) {
          const message = e instanceof GraphQLError ? e.message : 'Syntax Error';
          return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors.map((e) => new GraphQLError(reword(e).message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket: send queries and mutations over HTTP', { extensions: { code: 'BAD_REQUEST' } })];
        }
        // Costed like a query; and a connection's subscriptions together like one request, since each runs per event
        const { cost, error } = costCheck(schema, document, payload.operationName, payload.variables);
        if (error) return [error];
        const refusal = extra.budget?.refusal(ctx.subscriptions, id, cost);
        if (refusal) return [new GraphQLError(refusal, { extensions: { code: 'BAD_REQUEST' } })];
        const name = operation.name?.value ?? null;
        (extra.running ??= new Map()).set(id, { operation: name, started: Date.now() });
        log.info({ subscriptionId: id, userId: extra.actor?.userId ?? null, operation: name, operationType: 'subscription' }, 'subscription started');
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName };
      },
      context: (ctx): GraphQLContext => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        return {
          actor: extra.actor ?? null,
          services,
          loaders: services.loaders({ cache: false }),
          refreshActor: () => refresh(extra),
        };
      },
      // Errors leave through formatError as over HTTP: codes kept, anything unknown masked, no stack traces.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      // One line per subscription when it ends (completed by either side or with its connection).
      onComplete: (ctx, id) => logEnd(ctx.extra as unknown as ConnectionExtra, id),
    },
    wss,
  );

  // Logout and deactivation: close the sockets of the ended sessions now, not at their next event.
  const stopListening = services.bus.on('sessionsRevoked', (event) => {
    for (const extra of connections) {
      const actor = extra.actor;
      if (!actor || actor.organisation.id !== event.organisationId) continue;
      if (actor.sessionTokenHash === event.tokenHash || actor.userId === event.userId) endSession(extra);
    }
  });

  return {
    wss,
    multicast,
    openSubscriptions(): number {
      let open = 0;
      for (const ctx of contexts) open += Object.keys(ctx.subscriptions).length;
      return open;
    },
    async dispose() {
      stopListening();
      // 1001 'going away': clients reconnect to another instance or after the restart. Sockets that do not
      // finish the closing handshake promptly are cut, so a shutdown never waits on a silent client.
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 1000);
      await Promise.race([server.dispose(), new Promise((r) => setTimeout(r, 3000))]);
      clearTimeout(cut);
      for (const client of wss.clients) client.terminate();
    },
  };
}
