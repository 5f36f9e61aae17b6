import { parse, specifiedRules, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS, queryLimitRules, queryParseOptions, type QueryLimits } from './query-limits.js';
import { buildGatehouseSchema } from './schema.js';
import { webOperations } from './web-operations.js';

const half: QueryLimits = Object.fromEntries(Object.entries(QUERY_LIMITS).map(([k, v]) => [k, Math.floor(v / 2)])) as QueryLimits;
let schema: Awaited<ReturnType<typeof buildGatehouseSchema>>;
beforeAll(async () => {
  schema = await buildGatehouseSchema();
});

const errorsOf = (query: string, limits = QUERY_LIMITS) => validate(schema, parse(query), [...specifiedRules, ...queryLimitRules(limits)]).map((e) => e.message);

describe('GraphQL query limits', () => {
  it('lets every operation of the web app through with at least twice the room it needs', () => {
    // Setup: every .graphql document under web/src, with the fragments it spreads
    const operations = webOperations();
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const op of operations) {
      // Action: validate at half of every limit, parse with half the token limit
      const errors = validate(schema, op.document, [...specifiedRules, ...queryLimitRules(half)]);
      // Assert
      expect(errors.map((e) => `${op.file}: ${e.message}`)).toEqual([]);
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

  it('refuses nested lists whose estimated cost is over the limit', () => {
    const fan = `{ gateReviews { agenda { measure { gateRequests { conditions { id text } } } } } }`;
    expect(errorsOf(fan).join()).toMatch(/cost limit of 10000 exceeded/i);
    expect(errorsOf(`{ gateReviews { agenda { measure { id title } } } }`)).toEqual([]);
  });

  it('stops parsing a document with more tokens than allowed', () => {
    const long = `{ ${Array.from({ length: QUERY_LIMITS.tokens }, () => '__typename').join(' ')} }`;
    expect(() => parse(long, queryParseOptions())).toThrow(/Document contains more (than|that) 2000 tokens/);
  });
});
