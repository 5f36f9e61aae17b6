import { getNamedType, isCompositeType, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../common/domain-error.js';
import type { GraphQLContext } from './context.js';
import { assumedListLength, listRowCost } from './query-cost.js';

/** A request's cost as it runs: what operationCost charged before execution, plus what the data added since. */
export interface RunningCost {
  spent: number;
  limit: number;
  /** The refusal, made once when the limit is crossed and given to every field that would do more work after it. */
  refusal?: Error;
}

const assumed = new Map<string, number | null>();
const rowCosts = new WeakMap<FieldNode, number>();

/**
 * A global middleware that charges the rows of unpaged lists beyond the length they were priced at. `gateRequests`
 * is priced at 100 requests, its usual size; in an organisation holding 500 pending, a request aliasing it would do
 * five times the work it was charged for. Here each such list adds its extra rows as it resolves; the list that
 * takes the request over the limit fails with BAD_USER_INPUT instead of resolving its rows, and so does every object
 * or list field after it (leaves of rows already admitted still resolve: they cost nothing more).
 */
export const chargeUnpagedLists: MiddlewareFn<GraphQLContext> = ({ context, info }, next) => {
  const cost = context.cost;
  if (!cost) return next();
  if (cost.refusal && isCompositeType(getNamedType(info.returnType))) throw cost.refusal;
  const key = `${info.parentType.name}.${info.fieldName}`;
  if (!assumed.has(key)) assumed.set(key, assumedListLength(info.parentType, info.fieldName));
  const length = assumed.get(key) ?? null;
  // Everything else stays synchronous: this runs for every field
  if (length === null) return next();
  return Promise.resolve(next()).then((result: unknown) => {
    if (Array.isArray(result) && result.length > length) {
      cost.spent += (result.length - length) * rowCost(info);
      if (cost.spent > cost.limit) cost.refusal ??= overLimit(cost);
      if (cost.refusal) throw cost.refusal;
    }
    return result;
  });
};

function rowCost(info: GraphQLResolveInfo): number {
  const node = info.fieldNodes[0];
  let cost = rowCosts.get(node);
  if (cost === undefined) {
    cost = listRowCost(info.schema, info.parentType, node, info.fragments, info.variableValues);
    rowCosts.set(node, cost);
  }
  return cost;
}

function overLimit(cost: RunningCost) {
  return badInput(
    `Query cost limit of ${cost.limit} exceeded at ${Math.round(cost.spent)}: the lists hold more rows than they were priced at; ask for fewer fields or lists at once.`,
  );
}
