import fs from 'node:fs';
import path from 'node:path';
import { CRITERION_LABELS, DEFAULT_GATE_TEMPLATE } from '@gatehouse/shared';
import { describe, expect, it } from 'vitest';

/** The project's own docs stay true: links and files inside the repository, operations in the schema, rules as coded. */
const ROOT = path.resolve(import.meta.dirname, '..');
const DOCS = ['README.md', 'SECURITY.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('the documentation', () => {
  it('links only to files inside the repository, and every one exists', () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const [, target] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const resolved = path.resolve(path.dirname(path.join(ROOT, doc)), target.split('#')[0]);
        if (!resolved.startsWith(`${ROOT}${path.sep}`) || !fs.existsSync(resolved)) broken.push(`${doc}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only source files that exist', () => {
    const missing: string[] = [];
    for (const doc of DOCS) {
      for (const [, file] of read(doc).matchAll(/`((?:shared|server|web|test|bench)\/[\w./-]+\.(?:ts|vue|mjs|graphql|md))`/g)) {
        if (!fs.existsSync(path.join(ROOT, file))) missing.push(`${doc}: ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists in docs/api.md only operations the schema has', () => {
    const schema = read('server/schema.graphql');
    const blocks = [...read('docs/api.md').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const operations = blocks.flatMap((b) => [...b.matchAll(/^([a-z]\w*)[(:]/gm)].map((m) => m[1]));
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((op) => !new RegExp(`^  ${op}[(:]`, 'm').test(schema))).toEqual([]);
  });

  it('describes the default gates with the criteria the default template checks', () => {
    const rows = new Map([...read('docs/domain-rules.md').matchAll(/^\| (\d) \| \w+ \| ([^|]+) \|/gm)].map((m) => [Number(m[1]), m[2]]));
    for (const gate of DEFAULT_GATE_TEMPLATE.gates) {
      const row = rows.get(gate.toDoi) ?? '';
      for (const c of gate.automatic) expect(row, `DoI ${gate.toDoi}: ${CRITERION_LABELS[c.criterion]}`).toContain(CRITERION_LABELS[c.criterion]);
    }
  });
});
