import fs from 'node:fs';
import path from 'node:path';
import { gql, InMemoryCache } from '@apollo/client';
import {
  buildSchema,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { COMPOSITE_KEYS, EMBEDDED_TYPES, gatehouseTypePolicies, GLOBAL_ID_TYPES } from './cache-policy';

const WEB_SRC = path.resolve(import.meta.dirname, '..');
const schema = buildSchema(fs.readFileSync(path.resolve(WEB_SRC, '../../server/schema.graphql'), 'utf8'));
const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__') && !ROOTS.has(t.name));

function operationFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? operationFiles(full) : e.name.endsWith('.graphql') ? [full] : [];
  });
}

describe('the cache identity of every object type', () => {
  it('classifies every object type of the schema exactly once, and only types that exist', () => {
    const classified = [...GLOBAL_ID_TYPES, ...Object.keys(COMPOSITE_KEYS), ...EMBEDDED_TYPES];
    expect(new Set(classified).size, 'a type is listed twice').toBe(classified.length);
    expect([...classified].sort()).toEqual(objectTypes.map((t) => t.name).sort());
  });

  it('normalises by id only types that have one, and keys composite types by fields they have', () => {
    for (const name of GLOBAL_ID_TYPES) {
      const type = schema.getType(name);
      expect(isObjectType(type) && type.getFields().id, name).toBeTruthy();
    }
    for (const [name, fields] of Object.entries(COMPOSITE_KEYS)) {
      const type = schema.getType(name);
      for (const f of fields) expect(isObjectType(type) && type.getFields()[f], `${name}.${f}`).toBeTruthy();
    }
    const policies = gatehouseTypePolicies();
    for (const name of EMBEDDED_TYPES) expect(policies[name]?.keyFields, name).toBe(false);
    expect(policies.CriterionCheck?.keyFields).toBe(false);
    expect(policies.ManualChecklistItemType?.keyFields).toBe(false);
  });

  it('keeps each gate request’s own criteria when two requests for the same gate share criterion ids', () => {
    // Setup: two pending requests for the gate to DoI 5; one measure has actuals, the other none.
    const cache = new InMemoryCache({ typePolicies: gatehouseTypePolicies() });
    const query = gql`
      query Board {
        gateRequests {
          id
          criteria {
            id
            passed
            detail
          }
        }
      }
    `;
    const criterion = (passed: boolean, detail: string) => ({ __typename: 'CriterionCheck', id: 'ACTUALS_RECORDED', passed, detail });
    cache.writeQuery({
      query,
      data: {
        gateRequests: [
          { __typename: 'GateRequest', id: 'r-with-actuals', criteria: [criterion(true, '13 months with actual values')] },
          { __typename: 'GateRequest', id: 'r-without', criteria: [criterion(false, '0 months with actual values')] },
        ],
      },
    });

    // Action: read the board back from the cache.
    const board = cache.readQuery<{ gateRequests: { id: string; criteria: { passed: boolean; detail: string }[] }[] }>({ query });

    // Assert: each request reads its own checklist.
    expect(board?.gateRequests.map((r) => [r.id, r.criteria[0].passed, r.criteria[0].detail])).toEqual([
      ['r-with-actuals', true, '13 months with actual values'],
      ['r-without', false, '0 months with actual values'],
    ]);
  });

  it('finds the composite key fields in every operation that reads such a type (else Apollo cannot store it)', () => {
    const files = operationFiles(WEB_SRC);
    const document = parse(files.map((f) => fs.readFileSync(f, 'utf8')).join('\n'));
    const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    const fieldNames = (set: SelectionSetNode): string[] =>
      set.selections.flatMap((s) =>
        s.kind === Kind.FIELD ? [s.name.value] : s.kind === Kind.INLINE_FRAGMENT ? fieldNames(s.selectionSet) : fieldNames(fragments.get(s.name.value)!.selectionSet),
      );
    const missing: string[] = [];
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const type = getNamedType(typeInfo.getType());
          const keys = type && (COMPOSITE_KEYS as Record<string, readonly string[]>)[type.name];
          if (!keys || !node.selectionSet) return;
          const selected = fieldNames(node.selectionSet);
          for (const k of keys) if (!selected.includes(k)) missing.push(`${node.name.value} (${type.name}) lacks ${k}`);
        },
      }),
    );
    expect(missing).toEqual([]);
  });

  it('never lets an answer that left the server before a change undo it (a measure and its milestones, by version)', () => {
    // Setup: the milestone was marked done (version 8); a live refresh sent at version 7 arrives after that.
    const cache = new InMemoryCache({ typePolicies: gatehouseTypePolicies() });
    const query = gql`
      query Measure {
        measure {
          id
          version
          title
          milestones {
            id
            done
          }
        }
      }
    `;
    const answer = (version: number, done: boolean) => ({
      measure: { __typename: 'Measure', id: 'm1', version, title: `v${version}`, milestones: [{ __typename: 'Milestone', id: 'ms1', done }] },
    });
    cache.writeQuery({ query, data: answer(8, true) });

    // Action
    cache.writeQuery({ query, data: answer(7, false) });

    // Assert: version 8 stands, milestone included; a newer answer still replaces it.
    expect(cache.readQuery<ReturnType<typeof answer>>({ query })?.measure).toMatchObject({ version: 8, title: 'v8', milestones: [{ done: true }] });
    cache.writeQuery({ query, data: answer(9, false) });
    expect(cache.readQuery<ReturnType<typeof answer>>({ query })?.measure).toMatchObject({ version: 9, milestones: [{ done: false }] });
  });
});
