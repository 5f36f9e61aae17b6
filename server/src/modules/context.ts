import { unauthenticated } from '../common/domain-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { RunningCost } from '../graphql/run-time-cost.js';
import type { SessionCookieJar } from '../http/session-cookie.js';
import type { RequestObservation } from '../observability/request-log.js';
import type { Actor } from './access/actor.js';
import type { AuditCheckpoints } from './audit/audit-checkpoints.js';
import type { AuditService } from './audit/audit.service.js';
import type { ClosureService } from './governance/closure.service.js';
import type { EvidenceService } from './governance/evidence.service.js';
import type { GateReviewsService } from './governance/gate-reviews.service.js';
import type { GateTemplatesService } from './governance/gate-templates.service.js';
import type { GatesService } from './governance/gates.service.js';
import type { PermissionExplainer } from './governance/permission-explainer.js';
import type { HierarchyService } from './hierarchy/hierarchy.service.js';
import type { LoaderOptions, Loaders } from './loaders.js';
import type { MeasuresService } from './measures/measures.service.js';
import type { PortfolioService } from './portfolio/portfolio.service.js';
import type { TicketsService } from './tickets/tickets.service.js';
import type { TicketLinksService } from './tickets/ticket-links.service.js';
import type { TicketSettingsService } from './tickets/ticket-settings.service.js';
import type { TicketScopeMappingService } from './tickets/ticket-scope-mapping.service.js';
import type { SlaReapplyService } from './tickets/sla-reapply.js';
import type { ApiTokensService } from './users/api-tokens.service.js';
import type { AuthService } from './users/auth.service.js';
import type { OidcSignIn } from './users/oidc-sign-in.js';
import type { UsersService } from './users/users.service.js';
import type { IdentityService } from './users/identity.service.js';
import type { MeasureImportService } from './measures/measure-import.service.js';
import type { ScopeGrantsService } from './users/scope-grants.service.js';

export type { Loaders, SessionCookieJar };

/**
 * The application's services as resolvers and routes see them (built once per process by the composition
 * root, services.ts). No database handle: data is read through the services or a request's loaders.
 */
export interface Services {
  bus: EventBus;
  auth: AuthService;
  /** Single sign-on through the OpenID Connect provider, when one is configured. */
  oidc: OidcSignIn | null;
  users: UsersService;
  apiTokens: ApiTokensService;
  identity: IdentityService;
  hierarchy: HierarchyService;
  measures: MeasuresService;
  measureImport: MeasureImportService;
  tickets: TicketsService;
  ticketLinks: TicketLinksService;
  ticketSettings: TicketSettingsService;
  ticketScopes: TicketScopeMappingService;
  slaReapply: SlaReapplyService;
  gates: GatesService;
  gateTemplates: GateTemplatesService;
  gateReviews: GateReviewsService;
  closure: ClosureService;
  evidence: EvidenceService;
  portfolio: PortfolioService;
  audit: AuditService;
  auditCheckpoints: AuditCheckpoints;
  /** The admin area: role grants around a scope, and why a person may or may not do something. */
  scopeGrants: ScopeGrantsService;
  permissions: PermissionExplainer;
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
  /** The client's User-Agent header (HTTP only), kept with a session it opens. */
  userAgent?: string;
  /** Where the web app is reached (PUBLIC_URL, else the request's own origin): one-time links point there. */
  publicUrl?: string;
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
