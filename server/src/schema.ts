import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type MiddlewareFn } from 'type-graphql';
import { assertStorableArgs } from './common/validate.js';
import { chargeUnpagedLists } from './graphql/run-time-cost.js';
import { LocalEventBus, type EventBus } from './events/event-bus.js';
import { EventBusPubSub } from './events/event-pub-sub.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { CommentResolver } from './modules/governance/comment.resolver.js';
import { EvidenceResolver } from './modules/governance/evidence.resolver.js';
import { GateConditionResolver } from './modules/governance/gate-condition.resolver.js';
import { GateRequestResolver } from './modules/governance/gate-request.resolver.js';
import { GateReviewResolver } from './modules/governance/gate-review.resolver.js';
import { GateTemplateResolver } from './modules/governance/gate-template.resolver.js';
import { PermissionExplainerResolver } from './modules/governance/permission-explainer.resolver.js';
import { MeasureGovernanceResolver } from './modules/governance/measure-governance.resolver.js';
import { SignOffResolver } from './modules/governance/sign-off.resolver.js';
import { MeasurePackageResolver, OrganisationResolver, OrgUnitResolver, ProgramResolver } from './modules/hierarchy/hierarchy.resolver.js';
import { LiveResolver } from './modules/live/live.resolver.js';
import { MeasuresResolver } from './modules/measures/measures.resolver.js';
import { PortfolioResolver } from './modules/portfolio/portfolio.resolver.js';
import { UsersResolver } from './modules/users/users.resolver.js';
import { ScopeGrantsResolver } from './modules/users/scope-grants.resolver.js';
import { ApiTokensResolver } from './modules/users/api-tokens.resolver.js';
import { IdentityResolver } from './modules/users/identity.resolver.js';
import { TicketScopeMappingResolver } from './modules/tickets/ticket-scope-mapping.resolver.js';
import { SlaReapplyResolver } from './modules/tickets/sla-reapply.resolver.js';
import { MeasureTicketsResolver, SlaPolicyResolver, TicketGroupResolver, TicketResolver, TicketSettingsResolver } from './modules/tickets/tickets.resolver.js';

export const resolvers = [
  UsersResolver,
  ApiTokensResolver,
  IdentityResolver,
  OrganisationResolver,
  OrgUnitResolver,
  ProgramResolver,
  MeasurePackageResolver,
  MeasuresResolver,
  MeasureGovernanceResolver,
  GateRequestResolver,
  GateConditionResolver,
  GateReviewResolver,
  GateTemplateResolver,
  PermissionExplainerResolver,
  ScopeGrantsResolver,
  SignOffResolver,
  EvidenceResolver,
  CommentResolver,
  PortfolioResolver,
  AuditResolver,
  TicketResolver,
  TicketGroupResolver,
  SlaPolicyResolver,
  MeasureTicketsResolver,
  TicketSettingsResolver,
  TicketScopeMappingResolver,
  SlaReapplyResolver,
  LiveResolver,
] as const;

/** Every argument of every field, before any resolver runs: text PostgreSQL cannot store is bad input. */
const rejectUnstorableText: MiddlewareFn = ({ args }, next) => {
  for (const key in args) {
    assertStorableArgs(args[key], key);
  }
  return next();
};

const schemas = new WeakMap<EventBus, Promise<GraphQLSchema>>();
/** Printing, validating and costing need no events: such callers share a bus nobody publishes on. */
const detached = new LocalEventBus();

/**
 * The schema is built from the decorated classes once per event bus. type-graphql binds every subscription to the
 * pubSub the schema was built with, so an app's schema must be built over that app's bus: with one process-wide
 * schema, every app in the process (tests hold several) would listen on the first app's bus. A build takes ~0.3 s.
 */
export function buildGatehouseSchema(bus: EventBus = detached): Promise<GraphQLSchema> {
  let schema = schemas.get(bus);
  if (!schema) {
    schema = buildSchema({
      resolvers,
      scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
      // Inputs are validated by the services, which answer BAD_USER_INPUT naming the field.
      validate: false,
      globalMiddlewares: [rejectUnstorableText],
      // `@Subscription({ topics })` listens here: the app's event bus, local or fanned out across instances.
      pubSub: new EventBusPubSub(bus),
    }).then(chargeUnpagedLists);
    schemas.set(bus, schema);
  }
  return schema;
}
