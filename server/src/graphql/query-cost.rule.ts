import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type GraphQLCompositeType,
  isObjectType,
  isInterfaceType,
} from 'graphql';

/**
 * A static cost estimate, computed while validating (before any resolver runs, without variables): a leaf field
 * costs 1, an object field 2, and everything below a list field counts `listFactor` times, because a list may
 * hold that many items whatever `first` says at run time (pages are capped at 200 by the services anyway).
 * Nested lists multiply: `orgUnits { programs { measurePackages { … } } }` is 1,000 times its innermost
 * selection. Fragments are expanded where they are spread.
 */
export function queryCostRule(maxCost: number, listFactor = 10): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition: {
      enter(operation) {
        const root =
          operation.operation === 'query'
            ? context.getSchema().getQueryType()
            : operation.operation === 'mutation'
              ? context.getSchema().getMutationType()
              : context.getSchema().getSubscriptionType();
        if (!root) return;
        const cost = selectionCost(context, root, operation.selectionSet, 1, listFactor, new Set());
        if (cost > maxCost) {
          context.reportError(new GraphQLError(`Query cost limit of ${maxCost} exceeded, found ${Math.round(cost)}.`, { nodes: [operation] }));
        }
      },
    },
  });
}

/** The estimated cost of an operation, for tests and tooling. */
export function selectionCost(
  context: ValidationContext,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  multiplier: number,
  listFactor: number,
  fragmentsInUse: Set<string>,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(context, parent, selection, multiplier, listFactor, fragmentsInUse);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
      if (on && isCompositeType(on)) cost += selectionCost(context, on, selection.selectionSet, multiplier, listFactor, fragmentsInUse);
    } else {
      const name = selection.name.value;
      // A fragment cycle is reported by graphql-js's own NoFragmentCycles rule; here it just stops.
      if (fragmentsInUse.has(name)) continue;
      const fragment = context.getFragment(name);
      const on = fragment && context.getSchema().getType(fragment.typeCondition.name.value);
      if (!fragment || !on || !isCompositeType(on)) continue;
      fragmentsInUse.add(name);
      cost += selectionCost(context, on, fragment.selectionSet, multiplier, listFactor, fragmentsInUse);
      fragmentsInUse.delete(name);
    }
  }
  return cost;
}

function fieldCost(
  context: ValidationContext,
  parent: GraphQLCompositeType,
  node: FieldNode,
  multiplier: number,
  listFactor: number,
  fragmentsInUse: Set<string>,
): number {
  const field: GraphQLField<unknown, unknown> | undefined =
    isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
  if (!node.selectionSet) return multiplier;
  // Unknown fields are reported by graphql-js's FieldsOnCorrectType rule; count them as objects meanwhile.
  const type = field?.type as GraphQLOutputType | undefined;
  const named = type ? getNamedType(type) : undefined;
  const inner = type && isListType(getNullableType(type)) ? multiplier * listFactor : multiplier;
  const children = named && isCompositeType(named) ? selectionCost(context, named, node.selectionSet, inner, listFactor, fragmentsInUse) : 0;
  return 2 * multiplier + children;
}
