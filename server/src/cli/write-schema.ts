import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGatehouseSchema } from '../schema.js';

/** server/schema.graphql: the committed SDL that clients generate their types from. */
export const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../schema.graphql');

export async function printGatehouseSchema(): Promise<string> {
  const header = '# Generated from the server code by `npm run schema:write -w server`. Do not edit.\n\n';
  return header + printSchema(lexicographicSortSchema(await buildGatehouseSchema())) + '\n';
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const sdl = await printGatehouseSchema();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (current !== sdl) {
      console.error('server/schema.graphql is stale: run `npm run schema:write -w server` and commit it.');
      process.exit(1);
    }
  } else {
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}
