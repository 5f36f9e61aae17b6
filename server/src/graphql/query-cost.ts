import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../common/cursor.js';

/**
 * What a field costs where it resolves, in units of about 0.2 ms of server and database time on a 50,000-measure
 * organisation (bench/query-cost.bench.mjs measures it): the limit of 10,000 is then about two seconds.
 *
 * - Every object costs 1 where it is materialised (a row, a loaded relation), a leaf costs LEAF_COST.
 * - `cost` is the field's own work each time it resolves: fields that load per row (`viewerCan`, `nextGate`: their
 *   own statements for every measure) cost per row; aggregates cost what their query costs at that scale.
 * - A list multiplies everything below it by its length: `first` where the field pages (its default when absent),
 *   the page size of the connection for `edges`, otherwise `listSize`, the most the service returns or a measure
 *   holds, or DEFAULT_LIST_SIZE.
 */
export interface FieldPrice {
  cost?: number;
  listSize?: number;
}

export const LEAF_COST = 0.1;
export const DEFAULT_LIST_SIZE = 10;
/** What the services return when `first` is not given (common/cursor.ts pageSize). */
export const DEFAULT_PAGE_SIZE = 50;

export const FIELD_PRICES: Record<string, FieldPrice> = {
  // Per-row work: gate facts and templates come batched through the request's loaders (one statement a page),
  // the rules run for every row
  'Measure.viewerCan': { cost: 2 },
  'Measure.nextGate': { cost: 5 },
  'GateRequest.criteria': { cost: 3, listSize: 8 },
  'GateRequest.viewerCanDecide': { cost: 1 },
  'GateRequest.viewerCannotDecideReason': { cost: 1 },
  // Per-row statements: one query for every object they resolve on
  'Measure.ticketEffects': { cost: 25, listSize: 20 },
  'TicketGroup.effects': { cost: 25, listSize: 20 },
  'TicketGroup.trend': { cost: 25 },
  'GateReview.scope': { cost: 5 },
  'MeasureEvent.measure': { cost: 5 },
  // Counts and aggregates over the whole visible portfolio
  'MeasureConnection.totalCount': { cost: 50 },
  'TicketConnection.totalCount': { cost: 100 },
  'TicketGroupConnection.totalCount': { cost: 50 },
  'AuditEntryConnection.totalCount': { cost: 50 },
  // A scan of every visible measure for callers who see part of the scope (the rollups answer the others)
  'Query.portfolioSummary': { cost: 2500 },
  'Subscription.portfolioSummaryChanged': { cost: 2500 },
  'Query.doiBridge': { cost: 2500 },
  // Walks the whole chain: about 0.4 s for 40,000 entries (admins and controllers only)
  'Query.verifyAuditTrail': { cost: 2000 },
  // Lists without paging, at the size they have in a large organisation (what the data holds, not what a caller
  // asks for: nobody but the steering committee and admins makes them longer). The services cap them higher
  // (gate requests and the sign-off queue at 500, an agenda at 200); bench/query-cost.bench.mjs times them at the caps.
  'Query.gateRequests': { cost: 20, listSize: 100 },
  'Query.signOffQueue': { cost: 50, listSize: 100 },
  'Query.gateReviews': { listSize: 50 },
  'GateReview.agenda': { listSize: 25 },
  'GateReview.decisions': { listSize: 25 },
  'GateReview.participants': { listSize: 15 },
  'Query.users': { listSize: 500 },
  'Query.orgUnits': { listSize: 50 },
  'Query.programs': { listSize: 100 },
  'Query.measurePackages': { listSize: 200 },
  'Query.serviceCategories': { listSize: 50 },
  'Query.slaPolicies': { listSize: 50 },
  // 24 months of plan, forecast and actual, and more for long measures
  'Measure.values': { listSize: 120 },
  'GateRequest.conditions': { listSize: 5 },
  'User.roles': { listSize: 5 },
  'TicketGroup.measures': { listSize: 5 },
  'GateCheck.criteria': { listSize: 8 },
  'Measure.comments': { listSize: 50 },
  'TicketGroupEvent.groups': { listSize: 100 },
  'DoiBridge.movements': { listSize: 30 },
};

/** Where a connection's page size comes from, for its `edges`. */
const PAGED_LIST_FIELDS = new Set(['edges']);

export interface CostOptions {
  operationName?: string | null;
  /** The request's variables as sent; unknown or invalid ones count as absent (execution refuses invalid ones). */
  variables?: Record<string, unknown> | null;
}

/**
 * The cost of the operation as it will run: with the variables' values, so `measures(first: $n)` costs what `$n`
 * asks for. Computed after validation, before any resolver runs (an Apollo plugin over HTTP, `onSubscribe` over
 * WebSocket). Fragments are expanded where they are spread; a cycle is cut (graphql-js refuses it anyway).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, options: CostOptions = {}): number {
  const operation = getOperationAST(document, options.operationName ?? undefined);
  if (!operation) return 0;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], options.variables ?? {});
  const walker = new CostWalker(
    schema,
    new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d])),
    coerced.coerced ?? {},
  );
  return walker.selection(root, operation.selectionSet, 1, null);
}

/**
 * An unpaged list priced at its usual length (`listSize`, DEFAULT_LIST_SIZE): the list a field of `parent` returns,
 * or null when the field pages (`first`, a connection's `edges`) or returns no list. Its rows beyond that length are
 * charged while the request runs (run-time-cost.ts).
 */
export function assumedListLength(parent: GraphQLCompositeType, fieldName: string): number | null {
  const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[fieldName] : undefined;
  if (!def || !isListType(getNullableType(def.type)) || !isCompositeType(getNamedType(def.type))) return null;
  if (PAGED_LIST_FIELDS.has(def.name) || def.args.some((a) => a.name === 'first')) return null;
  return FIELD_PRICES[`${parent.name}.${def.name}`]?.listSize ?? (def.name === 'trend' ? null : DEFAULT_LIST_SIZE);
}

/** What one more row of the list at `node` costs: the row and its selection, as operationCost counts them. */
export function listRowCost(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  node: FieldNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
  const named = def && getNamedType(def.type);
  if (!named || !isCompositeType(named) || !node.selectionSet) return 1;
  return 1 + new CostWalker(schema, new Map(Object.entries(fragments)), variables).selection(named, node.selectionSet, 1, null);
}

class CostWalker {
  private readonly inUse = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** `page`: the page size of the connection this selection belongs to, for its `edges`. */
  selection(parent: GraphQLCompositeType, set: SelectionSetNode, multiplier: number, page: number | null): number {
    let cost = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        cost += this.field(parent, s, multiplier, page);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const on = s.typeCondition ? this.schema.getType(s.typeCondition.name.value) : parent;
        if (on && isCompositeType(on)) cost += this.selection(on, s.selectionSet, multiplier, page);
      } else {
        const name = s.name.value;
        const fragment = this.fragments.get(name);
        const on = fragment && this.schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !on || !isCompositeType(on) || this.inUse.has(name)) continue;
        this.inUse.add(name);
        cost += this.selection(on, fragment.selectionSet, multiplier, page);
        this.inUse.delete(name);
      }
    }
    return cost;
  }

  private field(parent: GraphQLCompositeType, node: FieldNode, multiplier: number, page: number | null): number {
    const def: GraphQLField<unknown, unknown> | undefined = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    // Unknown fields and __typename: validation reports the first, the second costs nothing
    if (!def) return 0;
    const price = FIELD_PRICES[`${parent.name}.${def.name}`] ?? {};
    const own = multiplier * (price.cost ?? 0);
    const named = getNamedType(def.type);
    if (!node.selectionSet || !isCompositeType(named)) return own + multiplier * LEAF_COST;
    const args = this.args(def, node);
    const first = def.args.some((a) => a.name === 'first') ? pageSize(args.first) : null;
    const list = isListType(getNullableType(def.type));
    const length = list ? (first ?? (PAGED_LIST_FIELDS.has(def.name) ? page : null) ?? listSizeOf(def.name, args, price)) : 1;
    const inner = multiplier * length;
    return own + inner + this.selection(named, node.selectionSet, inner, list ? null : first);
  }

  private args(def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    try {
      return getArgumentValues(def, node, this.variables);
    } catch {
      return {};
    }
  }
}

function pageSize(first: unknown): number {
  if (typeof first !== 'number' || !Number.isFinite(first)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(first), 0), MAX_PAGE_SIZE);
}

function listSizeOf(field: string, args: Record<string, unknown>, price: FieldPrice): number {
  // TicketGroup.trend(months): one point a month, at most 60 (tickets.service.ts)
  if (field === 'trend' && typeof args.months === 'number') return Math.min(Math.max(Math.trunc(args.months), 1), 60);
  return price.listSize ?? DEFAULT_LIST_SIZE;
}
