import { unauthenticated } from '../common/domain-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { RunningCost } from '../graphql/run-time-cost.js';
import type { SessionCookieJar } from '../http/session-cookie.js';
import type { RequestObservation } from '../observability/request-log.js';
import type { Actor } from './access/index.js';
import type { AuditCheckpoints, AuditService } from './audit/index.js';
import type {
  ClosureService,
  EvidenceService,
  GateReviewsService,
  GateTemplatesService,
  GatesService,
} from './governance/index.js';
import type { HierarchyService } from './hierarchy/index.js';
import type { LoaderOptions, Loaders } from './loaders.js';
import type { MeasuresService } from './measures/index.js';
import type { PortfolioService } from './portfolio/index.js';
import type { TicketsService } from './tickets/index.js';
import type { AuthService, UsersService } from './users/index.js';

export type { Loaders, SessionCookieJar };

/**
 * The application's services as resolvers and routes see them (built once per process by the composition
 * root, services.ts). No database handle: data is read through the services or a request's loaders.
 */
export interface Services {
  bus: EventBus;
  auth: AuthService;
  users: UsersService;
  hierarchy: HierarchyService;
  measures: MeasuresService;
  tickets: TicketsService;
  gates: GatesService;
  gateTemplates: GateTemplatesService;
  gateReviews: GateReviewsService;
  closure: ClosureService;
  evidence: EvidenceService;
  portfolio: PortfolioService;
  audit: AuditService;
  auditCheckpoints: AuditCheckpoints;
  /** A fresh set of DataLoaders (per request, or uncached per subscription event). */
  loaders(options?: LoaderOptions): Loaders;
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
  /** HTTP only: what the request's log line and metrics report (operation, user, error codes). */
  observation?: RequestObservation;
  /** HTTP only: the request's cost so far, set before execution and grown by unpaged lists longer than priced. */
  cost?: RunningCost;
}

export function requireActor(ctx: GraphQLContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}
