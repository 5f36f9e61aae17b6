import type { Config } from './config/config.js';
import type { Database } from './database/database.js';
import type { EventBus } from './events/event-bus.js';
import { AuditCheckpoints } from './modules/audit/audit-checkpoints.js';
import { openAuditSigner } from './modules/audit/audit-signing.js';
import { AuditService } from './modules/audit/audit.service.js';
import { ClosureService } from './modules/governance/closure.service.js';
import { EvidenceService } from './modules/governance/evidence.service.js';
import { GateReviewsService } from './modules/governance/gate-reviews.service.js';
import { GateTemplatesService } from './modules/governance/gate-templates.service.js';
import { GatesService } from './modules/governance/gates.service.js';
import { PermissionExplainer } from './modules/governance/permission-explainer.js';
import { HierarchyService } from './modules/hierarchy/hierarchy.service.js';
import { MeasuresService } from './modules/measures/measures.service.js';
import { MeasureImportService } from './modules/measures/measure-import.service.js';
import { PortfolioService } from './modules/portfolio/portfolio.service.js';
import { AuthService } from './modules/users/auth.service.js';
import { OidcSignIn } from './modules/users/oidc-sign-in.js';
import { ApiTokensService } from './modules/users/api-tokens.service.js';
import { UsersService } from './modules/users/users.service.js';
import { IdentityService } from './modules/users/identity.service.js';
import { ScopeGrantsService } from './modules/users/scope-grants.service.js';
import type { Services } from './modules/context.js';
import { createLoaders, type LoaderOptions } from './modules/loaders.js';
import { TicketsService } from './modules/tickets/tickets.service.js';
import { TicketLinksService } from './modules/tickets/ticket-links.service.js';
import { TicketSettingsService } from './modules/tickets/ticket-settings.service.js';
import { TicketScopeMappingService } from './modules/tickets/ticket-scope-mapping.service.js';
import { SlaReapplyService } from './modules/tickets/sla-reapply.js';

/** The application's services, built once per process around one database and one event bus. */
export function createServices(db: Database, config: Pick<Config, 'session' | 'loginThrottle' | 'audit' | 'signIn'>, bus: EventBus): Services {
  const ds = db.dataSource;
  const measures = new MeasuresService(ds, bus);
  const tickets = new TicketsService(ds, bus);
  const auditCheckpoints = new AuditCheckpoints(ds, openAuditSigner(config.audit.signingKey));
  const auth = new AuthService(ds, config.session, bus, config.loginThrottle, config.signIn.password);
  return {
    bus,
    auth,
    identity: new IdentityService(ds, bus, auth, config.session),
    oidc: config.signIn.oidc ? new OidcSignIn(ds, config.signIn.oidc) : null,
    users: new UsersService(ds, bus),
    apiTokens: new ApiTokensService(ds, bus),
    hierarchy: new HierarchyService(ds, bus),
    measures,
    measureImport: new MeasureImportService(ds, measures),
    tickets,
    ticketLinks: new TicketLinksService(ds, bus, measures, tickets),
    ticketSettings: new TicketSettingsService(ds, bus),
    ticketScopes: new TicketScopeMappingService(ds, bus),
    slaReapply: new SlaReapplyService(ds, bus),
    gates: new GatesService(ds, bus),
    gateTemplates: new GateTemplatesService(ds),
    gateReviews: new GateReviewsService(ds, bus),
    closure: new ClosureService(ds, bus),
    evidence: new EvidenceService(ds, bus),
    portfolio: new PortfolioService(ds),
    audit: new AuditService(ds, auditCheckpoints),
    auditCheckpoints,
    scopeGrants: new ScopeGrantsService(ds),
    permissions: new PermissionExplainer(ds),
    loaders: (options?: LoaderOptions) => createLoaders(ds, options),
  };
}

export type { Services };
