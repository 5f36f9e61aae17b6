import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { centsToMoney, MONEY_MAX, moneyToCents } from '@gatehouse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatehouseSchema } from '../schema.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * Every mutation with arguments generated from its schema types: mostly well-typed values at their edges (huge
 * and empty strings, NUL, lone surrogates, right-to-left and emoji text, negative and enormous money, malformed
 * months, dates and ids, real ids of other entities, deep lists) and some of the wrong type. No answer may be an
 * internal error, carry a stack trace or SQL, and a refused call must leave the database as it was.
 */
let t: TestApp;
let schema: GraphQLSchema;
let realIds: string[] = [];
beforeAll(async () => {
  t = await startTestApp();
  schema = await buildGatehouseSchema();
  const rows: { id: string }[] = await t.db.dataSource.query(
    `(SELECT id FROM measure ORDER BY code LIMIT 6) UNION ALL (SELECT id FROM gate_request LIMIT 4) UNION ALL (SELECT id FROM app_user LIMIT 4)
     UNION ALL (SELECT id FROM org_unit LIMIT 3) UNION ALL (SELECT id FROM program LIMIT 2) UNION ALL (SELECT id FROM milestone LIMIT 3)
     UNION ALL (SELECT id FROM gate_review LIMIT 2) UNION ALL (SELECT id FROM gate_condition LIMIT 2)`,
  );
  realIds = rows.map((r) => r.id);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\u202Eevil',
  '😀'.repeat(50),
  "'; DROP TABLE measure; --",
  '%_\\',
  '<script>alert(1)</script>',
  'x'.repeat(100_000),
);
// Mostly plausible values, so that calls get past type coercion into the services; the nasty ones one at a time.
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
// Up to the per-value limits and one cent past them: sums of valid values at the limit must fit the totals too.
const maxCents = moneyToCents(MONEY_MAX);
const money = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2)),
  fc.bigInt({ min: -maxCents - 1n, max: maxCents + 1n }).map(centsToMoney),
  fc.constantFrom(MONEY_MAX, `-${MONEY_MAX}`, '5000000000000.00', '10000000000000.00', '-10000000000000.00'),
  fc.constantFrom('-1.00', '-99999999999999.99', '99999999999999.99', '9999999999999999999999', '1e309', 'NaN', '0.001', '12,50', '', ' 1.00', '+5'),
  fc.integer().map((n) => `${n}.00`),
  text,
);
const month = fc.oneof(
  fc.record({ y: fc.integer({ min: 2020, max: 2030 }), m: fc.integer({ min: 1, max: 12 }) }).map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}`),
  fc.constantFrom('2026-13', '0000-01', '2026-1', '2026-00', '99999-01', '2026-02-30'),
  text,
);
const dateTime = fc.oneof(fc.constantFrom('2026-02-30T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday', '2026-05-01T09:00:00Z'), text);
const id = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...realIds) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom('not-an-id', '', '00000000-0000-0000-0000-000000000000', `${realIds[0]}\u0000`) },
    { weight: 1, arbitrary: text },
  );
const int = fc.oneof(fc.integer({ min: -5, max: 10 }), fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 0), fc.integer());

function valueFor(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, depth);
  if (isListType(type)) return fc.array(valueFor(type.ofType, depth + 1), { maxLength: depth > 1 ? 1 : 4 });
  const named = getNamedType(type);
  if (isEnumType(named)) return fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...named.getValues().map((v) => v.value)) }, { weight: 1, arbitrary: text });
  if (isInputObjectType(named)) {
    if (depth > 3) return fc.constant({});
    const fields = named.getFields();
    return fc.record(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, valueFor(f.type, depth + 1)])), {
      requiredKeys: Object.entries(fields).filter(([, f]) => isNonNullType(f.type)).map(([k]) => k),
    });
  }
  switch (named.name) {
    case 'String':
      return text;
    case 'ID':
      return id();
    case 'Int':
      return int;
    case 'Boolean':
      return fc.boolean();
    case 'Money':
      return money;
    case 'DateTime':
      return dateTime;
    case 'Month':
      return month;
    default:
      return fc.oneof(text, int);
  }
}

/** Occasionally the wrong type altogether, or nesting deeper than any input allows. */
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 4 }), fc.array(fc.array(fc.array(fc.string()))));

function argsFor(field: GraphQLField<unknown, unknown>) {
  return fc.record(
    Object.fromEntries(field.args.map((a) => [a.name, fc.oneof({ weight: 19, arbitrary: valueFor(a.type, 0) }, { weight: 1, arbitrary: wrongType })])),
  );
}

const LEAKS = /\n\s+at |node_modules|QueryFailedError|SELECT |INSERT INTO|UPDATE \w+ SET|violates|syntax error at|relation "|column "/;
const SKIP = new Set(['logout']);
const RUNS = 12;

describe('mutation fuzzing', () => {
  it('never crashes, leaks or half-writes, whatever the arguments of any mutation', async () => {
    const mutations = Object.values(schema.getMutationType()!.getFields()).filter((f) => !SKIP.has(f.name));
    const failures: string[] = [];
    // The checksum after a refused call is the one before the next call; only a success makes it stale.
    let known: string | null = null;
    const answers = new Map<string, number>();
    for (const field of mutations) {
      const variables = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `mutation${variables ? `(${variables})` : ''} { ${field.name}${call ? `(${call})` : ''} { __typename } }`.replace('{ __typename }', getNamedType(field.type).toString() === 'Boolean' ? '' : '{ __typename }');
      await fc.assert(
        fc.asyncProperty(argsFor(field), async (args) => {
          const before = known ?? (await t.checksum());
          const res = await t.gql(query, args, t.tokens.admin);
          const body = JSON.stringify(res);
          const codes = (res.errors ?? []).map((e) => e.extensions?.code);
          const refused = Boolean(res.errors) && !res.data?.[field.name];
          known = refused ? await t.checksum() : null;
          for (const c of refused ? codes : ['ok']) answers.set(String(c), (answers.get(String(c)) ?? 0) + 1);
          if (codes.includes('INTERNAL_SERVER_ERROR') || LEAKS.test(body) || (refused && known !== before)) {
            failures.push(`${field.name}(${JSON.stringify(args).slice(0, 300)}) -> ${body.slice(0, 300)}`);
            return false;
          }
          return true;
        }),
        { numRuns: RUNS, seed: 20260101, endOnFailure: true },
      ).catch(() => undefined);
    }
    console.info(`fuzzed ${mutations.length} mutations x ${RUNS}: ${JSON.stringify(Object.fromEntries(answers))}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
