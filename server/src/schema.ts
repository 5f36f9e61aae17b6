import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type MiddlewareFn } from 'type-graphql';
import { assertStorableArgs } from './common/validate.js';
import { chargeUnpagedLists } from './graphql/run-time-cost.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import {
  CommentResolver,
  EvidenceResolver,
  GateConditionResolver,
  GateRequestResolver,
  GateReviewResolver,
  GateTemplateResolver,
  MeasureGovernanceResolver,
  SignOffResolver,
} from './modules/governance/governance.resolver.js';
import { MeasurePackageResolver, OrganisationResolver, OrgUnitResolver, ProgramResolver } from './modules/hierarchy/hierarchy.resolver.js';
import { LiveResolver } from './modules/live/live.resolver.js';
import { MeasuresResolver } from './modules/measures/measures.resolver.js';
import { PortfolioResolver } from './modules/portfolio/portfolio.resolver.js';
import { UsersResolver } from './modules/users/users.resolver.js';
import { MeasureTicketsResolver, SlaPolicyResolver, TicketGroupResolver, TicketResolver, TicketSettingsResolver } from './modules/tickets/tickets.resolver.js';

export const resolvers = [
  UsersResolver,
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
  LiveResolver,
] as const;

/** Every argument of every field, before any resolver runs: text PostgreSQL cannot store is bad input. */
const rejectUnstorableText: MiddlewareFn = ({ args }, next) => {
  for (const key in args) {
    assertStorableArgs(args[key], key);
  }
  return next();
};

let schema: Promise<GraphQLSchema> | undefined;

/** The schema is built once per process from the decorated classes. */
export function buildGatehouseSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Inputs are validated by the services, which answer BAD_USER_INPUT naming the field.
    validate: false,
    globalMiddlewares: [rejectUnstorableText],
    // Every subscription brings its own `subscribe` over our event bus; type-graphql still insists on a pubSub.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error('subscriptions read the event bus through their own subscribe function');
      },
    },
  }).then(chargeUnpagedLists);
  return schema;
}
