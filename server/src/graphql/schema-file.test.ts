import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printGatehouseSchema, SCHEMA_FILE } from '../cli/write-schema.js';

describe('server/schema.graphql', () => {
  it('matches the schema built from the code (run `npm run schema:write -w server` after changing it)', async () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printGatehouseSchema());
  });

  it('keeps the operation names of docs/api.md', async () => {
    const sdl = await printGatehouseSchema();
    for (const name of [
      'me: User', 'organisation: Organisation!', 'orgUnits(', 'programs(', 'measurePackages(', 'measures(', 'measure(id: ID!)',
      'login(', 'logout: Boolean!', 'createUser(', 'grantRole(', 'revokeRole(', 'createOrgUnit(', 'createProgram(',
      'createMeasurePackage(', 'createMeasure(', 'updateMeasure(', 'setMeasureValues(', 'addMilestone(', 'completeMilestone(',
    ]) {
      expect(sdl, name).toContain(name);
    }
  });
});
