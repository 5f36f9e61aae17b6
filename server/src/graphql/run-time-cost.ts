import { defaultFieldResolver, isObjectType, type FieldNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { badInput } from '../common/domain-error.js';
import { assumedListLength, listRowCost } from './query-cost.js';

/** A request's cost as it runs: what operationCost charged before execution, plus what the data added since. */
export interface RunningCost {
  spent: number;
  limit: number;
  /** The refusal, made once when the limit is crossed and given to every unpaged list that resolves after it. */
  refusal?: Error;
}

const rowCosts = new WeakMap<FieldNode, number>();

/**
 * Charges the rows of unpaged lists beyond the length they were priced at. `gateRequests` is priced at 100 requests,
 * its usual size; in an organisation holding 500 pending, a request aliasing it would do five times the work it was
 * charged for. Each such list adds its extra rows as it resolves; the list that takes the request over the limit
 * fails with BAD_USER_INPUT instead of resolving its rows, and so does every unpaged list after it. Only these fields
 * are wrapped (once, when the schema is built): every other field resolves as before.
 */
export function chargeUnpagedLists(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const length = assumedListLength(type, field.name);
      if (length === null) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { cost?: RunningCost } | undefined, info) => {
        const cost = context?.cost;
        if (!cost) return resolve(source, args, context, info);
        if (cost.refusal) throw cost.refusal;
        return Promise.resolve(resolve(source, args, context, info)).then((result: unknown) => {
          if (Array.isArray(result) && result.length > length) {
            cost.spent += (result.length - length) * rowCost(info);
            if (cost.spent > cost.limit) cost.refusal ??= overLimit(cost);
          }
          if (cost.refusal) throw cost.refusal;
          return result;
        });
      };
    }
  }
  return schema;
}

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
