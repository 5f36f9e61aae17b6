import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationFile, findOperationFiles, generate, OUTPUT_FILE } from '../../scripts/codegen.mjs';

describe('web/src/graphql/generated.ts', () => {
  it('matches server/schema.graphql and the operation files (run `npm run codegen -w web` after changing either)', async () => {
    expect(fs.readFileSync(OUTPUT_FILE, 'utf8')).toBe(await generate());
  });

  it('holds one operation per .graphql file, named after the file', () => {
    const files = findOperationFiles();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(() => checkOperationFile(file, parse(fs.readFileSync(file, 'utf8')))).not.toThrow();
  });

  it('refuses a file whose operation is named differently', () => {
    const file = path.join('web/src/x/measure-list.query.graphql');
    expect(() => checkOperationFile(file, parse('query Other { me { id } }'))).toThrow(/expected "query MeasureList"/);
    expect(() => checkOperationFile(file, parse('query MeasureList { me { id } } query Two { me { id } }'))).toThrow(/exactly one/);
  });
});
