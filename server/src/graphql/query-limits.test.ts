import { parse, specifiedRules, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { costCheck, QUERY_LIMITS, queryLimitRules, queryParseOptions, type QueryLimits } from './query-limits.js';
import { operationCost } from './query-cost.js';
import { buildGatehouseSchema } from '../schema.js';
import { webOperations } from './web-operations.js';

const half: QueryLimits = Object.fromEntries(Object.entries(QUERY_LIMITS).map(([k, v]) => [k, Math.floor(v / 2)])) as QueryLimits;
let schema: Awaited<ReturnType<typeof buildGatehouseSchema>>;
beforeAll(async () => {
  schema = await buildGatehouseSchema();
});

const errorsOf = (query: string, limits = QUERY_LIMITS, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const errors = validate(schema, document, [...specifiedRules, ...queryLimitRules(limits)]).map((e) => e.message);
  const { error } = costCheck(schema, document, null, variables, limits);
  return error ? [...errors, error.message] : errors;
};
/** The largest page each operation is sent with: 200 rows for the measures export and the bridge, 100 elsewhere. */
const largestPage = (operation: string) => (['MeasureList', 'BridgeMeasures'].includes(operation) ? 200 : 100);

describe('GraphQL query limits', () => {
  it('lets every operation of the web app through with at least twice the room it needs', () => {
    // Setup: every .graphql document under web/src, with the fragments it spreads
    const operations = webOperations();
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const op of operations) {
      // Action: validate at half of every limit, cost it with the largest page the app asks for, parse with half the token limit
      const errors = validate(schema, op.document, [...specifiedRules, ...queryLimitRules(half)]);
      const { error: cost } = costCheck(schema, op.document, op.name, { first: largestPage(op.name) }, half);
      // Assert
      expect(errors.map((e) => `${op.file}: ${e.message}`)).toEqual([]);
      expect(cost?.message, op.file).toBeUndefined();
      expect(() => parse(op.source, queryParseOptions(half))).not.toThrow();
    }
  });

  it('refuses a document nested deeper than the depth limit', () => {
    const nested = (levels: number) => `{ orgUnits { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
    expect(errorsOf(nested(QUERY_LIMITS.depth - 2))).toEqual([]);
    expect(errorsOf(nested(QUERY_LIMITS.depth + 1)).join()).toMatch(new RegExp(`depth limit of ${QUERY_LIMITS.depth} exceeded`, 'i'));
  });

  it('refuses more aliases or directives than allowed, naming the limit', () => {
    const aliases = Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: me { id }`).join(' ');
    expect(errorsOf(`{ ${aliases} }`).join()).toMatch(new RegExp(`Aliases limit of ${QUERY_LIMITS.aliases} exceeded`));
    const directives = Array.from({ length: QUERY_LIMITS.directives + 1 }, () => '@include(if: true)').join(' ');
    expect(errorsOf(`{ me ${directives} { id } }`).join()).toMatch(new RegExp(`Directives limit of ${QUERY_LIMITS.directives} exceeded`));
  });

  it('refuses nested lists whose cost is over the limit', () => {
    const fan = `{ gateReviews { agenda { measure { gateRequests { conditions { id text } } } } } }`;
    expect(errorsOf(fan).join()).toMatch(/cost limit of 10000 exceeded/i);
    expect(errorsOf(`{ gateReviews { id title } }`)).toEqual([]);
  });

  it('costs a page by the size it asks for, literal or variable, and a per-row field for every row', () => {
    // Setup: the attack of the security review, twenty aliased pages of 1,000 measures with their per-row permissions
    const page = (n: string) => `measures(first: ${n}) { edges { node { id viewerCan { update } nextGate { toDoi canRequest } } } }`;
    const attack = `{ ${Array.from({ length: 20 }, (_, i) => `m${i}: ${page('1000')}`).join(' ')} }`;
    const cost = (query: string, variables = {}) => operationCost(schema, parse(query), { variables });
    // Assert: refused (the old ×10-per-list rule put it at 2,080 of 10,000)
    expect(errorsOf(attack).join()).toMatch(/cost limit of 10000 exceeded/i);
    // One such page of 1,000 is over the limit too; of 50 it is well within
    expect(cost(`{ ${page('1000')} }`)).toBeGreaterThan(QUERY_LIMITS.cost);
    expect(cost(`{ ${page('50')} }`)).toBeLessThan(QUERY_LIMITS.cost / 4);
    // A variable page size costs what it asks for; absent, the service's default of 50
    expect(cost(`query($n: Int) { ${page('$n')} }`, { n: 1000 })).toBe(cost(`{ ${page('1000')} }`));
    expect(cost(`query($n: Int) { ${page('$n')} }`)).toBe(cost(`{ ${page('50')} }`));
    // Per-row fields cost per row: ten times the rows, ten times their price
    const perRow = (n: number) => cost(`{ measures(first: ${n}) { edges { node { viewerCan { update } } } } }`) - cost(`{ measures(first: ${n}) { edges { node { id } } } }`);
    expect(perRow(100)).toBeCloseTo(10 * perRow(10));
    expect(perRow(10)).toBeGreaterThanOrEqual(10 * 2);
  });

  it('stops parsing a document with more tokens than allowed', () => {
    const long = `{ ${Array.from({ length: QUERY_LIMITS.tokens }, () => '__typename').join(' ')} }`;
    expect(() => parse(long, queryParseOptions())).toThrow(/Document contains more (than|that) 2000 tokens/);
  });
});
