import type { WebSocket, WebSocketServer } from 'ws';
import { QUERY_LIMITS } from '../graphql/query-limits.js';

/**
 * What one WebSocket may take of the server, apart from how subscriptions are served (websocket.ts), so the limits
 * stay the same whichever library runs the subscriptions.
 */
export const WEBSOCKET_LIMITS = {
  /**
   * Largest message accepted (ws closes the socket with 1009 above it, before parsing). The protocol's largest
   * message is a subscribe: a document of at most 2,000 tokens and its variables; 64 KiB holds that many times
   * over, where ws's default of 100 MiB let eight unauthenticated messages grow the server by 1.7 GB.
   */
  maxPayloadBytes: 64 * 1024,
  /** A connection must have sent connection_init this soon after opening (graphql-ws closes it with 4408). */
  connectionInitTimeoutMs: 3000,
  /** Open connections per session on one instance: a browser tab holds one; more are refused with 1013. */
  connectionsPerSession: 10,
  /** Subscriptions at once on one connection: the web app holds four. */
  subscriptionsPerConnection: 10,
  /**
   * The summed cost (query-cost.ts) of a connection's subscriptions: each runs again for every event it receives,
   * so a connection may hold what one request may ask, not that many times over.
   */
  costPerConnection: QUERY_LIMITS.cost,
};

/** 4400 Bad Request: graphql-ws's code for a message out of protocol. */
export const CLOSE_BAD_REQUEST = 4400;
/** 1013 Try Again Later: the session holds its share of connections; the client may retry once one closes. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * Closes a connection whose first message is anything but connection_init: before it authenticates, a client may
 * not make the server parse subscriptions, answer pings or hold the socket open (graphql-ws lets a ping through,
 * and waits the whole init timeout). Registered before graphql-ws's own listener, so it sees the message first.
 */
export function requireConnectionInitFirst(wss: WebSocketServer): void {
  wss.on('connection', (socket: WebSocket) => {
    socket.once('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (isBinary || messageType(data) !== 'connection_init') socket.close(CLOSE_BAD_REQUEST, 'Send connection_init first');
    });
  });
}

function messageType(data: Buffer | ArrayBuffer | Buffer[]): unknown {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const message = JSON.parse(text) as { type?: unknown };
    return message?.type;
  } catch {
    return undefined;
  }
}

/** The open connections of each session on this instance. */
export class SessionConnections<T> {
  private readonly bySession = new Map<string, Set<T>>();

  /** Counts the connection in, unless its session holds its share already. */
  admit(session: string, connection: T): boolean {
    const open = this.bySession.get(session) ?? new Set<T>();
    if (open.size >= WEBSOCKET_LIMITS.connectionsPerSession) return false;
    open.add(connection);
    this.bySession.set(session, open);
    return true;
  }

  release(session: string, connection: T): void {
    const open = this.bySession.get(session);
    open?.delete(connection);
    if (open?.size === 0) this.bySession.delete(session);
  }
}

/**
 * A connection's subscriptions and what they cost. graphql-ws keeps its active subscriptions by id; an id it no
 * longer holds has ended and gives its cost back.
 */
export class SubscriptionBudget {
  private readonly costs = new Map<string, number>();

  /** Why this subscription is refused, or null when the connection has room for it. */
  refusal(active: Record<string, unknown>, id: string, cost: number): string | null {
    for (const held of this.costs.keys()) if (!(held in active)) this.costs.delete(held);
    // `active` already holds the subscription being asked for
    if (Object.keys(active).length > WEBSOCKET_LIMITS.subscriptionsPerConnection) {
      return `At most ${WEBSOCKET_LIMITS.subscriptionsPerConnection} subscriptions on one connection: end one first`;
    }
    const spent = [...this.costs.values()].reduce((a, b) => a + b, 0);
    if (spent + cost > WEBSOCKET_LIMITS.costPerConnection) {
      return `The subscriptions of one connection may cost ${WEBSOCKET_LIMITS.costPerConnection} together: this one (${Math.round(cost)}) does not fit beside the others (${Math.round(spent)})`;
    }
    this.costs.set(id, cost);
    return null;
  }
}
