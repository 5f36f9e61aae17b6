import type { DataSource } from 'typeorm';
import type { LoaderOptions } from '../common/loader-utils.js';
import { unauthenticated } from '../common/domain-error.js';
import type { Actor } from '../modules/access/actor.js';
import { createAuditLoaders } from '../modules/audit/audit-entity.js';
import { createHierarchyLoaders } from '../modules/hierarchy/hierarchy.loaders.js';
import { createMeasureLoaders } from '../modules/measures/measures.loaders.js';
import { createUserLoaders } from '../modules/users/users.loaders.js';
import { createGovernanceLoaders } from '../modules/governance/governance.loaders.js';
import { createTicketLoaders } from '../modules/tickets/tickets.loaders.js';
import { createTicketScopeLoaders } from '../modules/tickets/ticket-scope.loaders.js';
import type { Services } from '../services.js';
import type { RunningCost } from './run-time-cost.js';

/**
 * Per-request DataLoaders. A subscription's context lives as long as the subscription, so its loaders batch
 * but never cache (`cache: false`): each event reads fresh data.
 */
export function createLoaders(dataSource: DataSource, options: LoaderOptions = {}) {
  return {
    ...createUserLoaders(dataSource, options),
    ...createHierarchyLoaders(dataSource, options),
    ...createMeasureLoaders(dataSource, options),
    ...createGovernanceLoaders(dataSource, options),
    ...createTicketLoaders(dataSource, options),
    ...createTicketScopeLoaders(dataSource, options),
    ...createAuditLoaders(dataSource, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What HTTP-only resolvers (login, logout) need to set or clear the session cookie. */
export interface SessionCookieJar {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface GraphQLContext {
  actor: Actor | null;
  services: Services;
  /** Per request (or per subscription event), so batching never leaks data between users. */
  loaders: Loaders;
  cookies?: SessionCookieJar;
  /** The client's address (HTTP only), for the sign-in throttle. */
  clientAddress?: string;
  /** The session token the client sent with a login request: replaced, never reused. */
  previousToken?: string;
  /**
   * WebSocket only: the subscriber's session and roles as they are now (briefly cached), or null once the session
   * ended. Subscriptions call it before every event.
   */
  refreshActor?: () => Promise<Actor | null>;
  /** HTTP only: the request's cost so far, set before execution and grown by unpaged lists longer than priced. */
  cost?: RunningCost;
}

export function requireActor(ctx: GraphQLContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}
