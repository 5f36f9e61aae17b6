import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, visit } from 'graphql';

/**
 * The web app's GraphQL operations (every `.graphql` file under `web/src`), each as a document with the fragments
 * it spreads, as the app sends it.
 */
export function webOperations(webSrc = path.resolve(import.meta.dirname, '../../../web/src')): { name: string; file: string; source: string; document: DocumentNode }[] {
  const files = listGraphqlFiles(webSrc);
  const definitions = files.map((file) => ({ file, source: fs.readFileSync(file, 'utf8') })).map((f) => ({ ...f, document: parse(f.source) }));
  const fragments = new Map<string, { definition: FragmentDefinitionNode; source: string }>();
  for (const f of definitions) {
    for (const d of f.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, { definition: d, source: f.source });
  }
  const operations = [];
  for (const f of definitions) {
    for (const d of f.document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const used = spreadFragments(d, fragments);
      const all: DefinitionNode[] = [d, ...used.map((n) => fragments.get(n)!.definition)];
      const source = [f.source, ...new Set(used.map((n) => fragments.get(n)!.source))].join('\n');
      operations.push({ name: d.name?.value ?? path.basename(f.file), file: path.relative(webSrc, f.file), source, document: { kind: Kind.DOCUMENT, definitions: all } as DocumentNode });
    }
  }
  return operations;
}

function spreadFragments(root: DefinitionNode, fragments: Map<string, { definition: FragmentDefinitionNode }>): string[] {
  const seen = new Set<string>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        if (seen.has(spread.name.value)) return;
        seen.add(spread.name.value);
        const f = fragments.get(spread.name.value);
        if (f) walk(f.definition);
      },
    });
  walk(root);
  return [...seen];
}

function listGraphqlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : listGraphqlFiles(p);
    return e.name.endsWith('.graphql') ? [p] : [];
  });
}
