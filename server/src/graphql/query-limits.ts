import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type DocumentNode, type GraphQLSchema, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { RunningCost } from './run-time-cost.js';
import { COSTLY_REQUEST_COST, PerUserQueue } from './costly-requests.js';
import { operationCost } from './query-cost.js';

/**
 * How big a GraphQL document may be, for HTTP and WebSocket alike. The web app's largest operations use depth 5
 * (MeasureList), 3 aliases (ScopeRollup), no directives and 114 tokens (SetMeasureValues); `query-limits.test.ts`
 * runs every `.graphql` file of `web/src` through these limits at half these numbers (the cost with the largest page
 * the app asks for), so the app keeps at least twice its room for the pages still to come and for scripts, while a
 * document that would make the server work for seconds is refused before any resolver runs.
 */
export interface QueryLimits {
  /** Nested selections, fragments flattened: `measures { edges { node { owner { name } } } }` is 5. */
  depth: number;
  /** Aliased fields per operation: aliases multiply resolver work without growing the document much. */
  aliases: number;
  /** Directives per operation (`@include`, `@skip`): repeated directives are a known parser-cost attack. */
  directives: number;
  /** Lexical tokens per document, counted by graphql-js while parsing, so a huge document stops early. */
  tokens: number;
  /** Cost with the request's variables (query-cost.ts): about 0.2 ms of work a unit, lists by their real length. */
  cost: number;
  /**
   * The most a request may reach while it runs, once its unpaged lists are charged for the rows they really hold
   * (run-time-cost.ts): the largest organisation's gate board (500 pending requests, about 22,000) fits; three
   * aliased copies of it do not.
   */
  runTimeCost: number;
}

export const QUERY_LIMITS: QueryLimits = {
  depth: 10,
  aliases: 20,
  directives: 20,
  tokens: 2000,
  cost: 10_000,
  runTimeCost: 30_000,
};

/**
 * The limits as graphql-js validation rules. graphql-armor's rules throw by default, which Apollo would answer
 * as an internal error; reported instead, they become ordinary validation errors (400,
 * GRAPHQL_VALIDATION_FAILED) whose message names the limit, so a script author sees what to change.
 */
export function queryLimitRules(limits: QueryLimits = QUERY_LIMITS): ValidationRule[] {
  const report = (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
  const common = { exposeLimits: true, propagateOnRejection: false, onReject: [report] };
  return [
    maxDepthRule({ ...common, n: limits.depth, flattenFragments: true, ignoreIntrospection: false }),
    maxAliasesRule({ ...common, n: limits.aliases, allowList: [] }),
    maxDirectivesRule({ ...common, n: limits.directives }),
  ] as ValidationRule[];
}

/** The operation's cost with its variables, and its refusal when that is over the limit. */
export function costCheck(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits = QUERY_LIMITS,
): { cost: number; error: GraphQLError | null } {
  const cost = operationCost(schema, document, { operationName, variables });
  if (cost <= limits.cost) return { cost, error: null };
  const error = new GraphQLError(`Query cost limit of ${limits.cost} exceeded, found ${Math.round(cost)}: ask for smaller pages or fewer per-row fields.`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
  return { cost, error };
}

/**
 * The cost limit over HTTP. It needs the variables (`first: $n`), which validation rules never see, so it runs
 * once the operation is resolved and before execution: an operation over the limit runs no resolver. A costly one
 * within the limit waits for the same user's costly requests before it (costly-requests.ts).
 */
export function costLimitPlugin(limits: QueryLimits = QUERY_LIMITS): ApolloServerPlugin<{ cost?: RunningCost; actor: { userId: string } | null }> {
  const queue = new PerUserQueue();
  return {
    async requestDidStart() {
      let leave: (() => void) | null = null;
      return {
        async didResolveOperation({ schema, document, operationName, request, contextValue }) {
          const { cost, error } = costCheck(schema, document, operationName, request.variables, limits);
          if (error) throw error;
          contextValue.cost = { spent: cost, limit: limits.runTimeCost };
          if (cost > COSTLY_REQUEST_COST && contextValue.actor) leave = await queue.enter(contextValue.actor.userId);
        },
        async willSendResponse() {
          leave?.();
          leave = null;
        },
      };
    },
  };
}

export function queryParseOptions(limits: QueryLimits = QUERY_LIMITS): ParseOptions {
  return { maxTokens: limits.tokens };
}

/** Every validation rule beyond graphql-js's own: the limits, and no introspection when it is switched off. */
export function extraValidationRules(options: { introspection: boolean }, limits: QueryLimits = QUERY_LIMITS): ValidationRule[] {
  return [...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]), ...queryLimitRules(limits)];
}

/** graphql-js proposes field and type names in validation errors; that leaks the schema when introspection is off. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, '');
}
