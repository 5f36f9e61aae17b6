import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The placement rules of the code, checked on its import graph (every import, export-from and dynamic import
 * between our own files, type-only ones included: a type import ties the files together just the same).
 *
 * - no import cycles, in the server or the web app;
 * - infrastructure (server/src/common, database, events, http, graphql, config) imports no feature module
 *   (server/src/modules/…): features build on the infrastructure, never the other way round;
 * - feature modules never import the composition root (services.ts, app.ts, main.ts, bootstrap.ts);
 * - in the web app, shared UI (web/src/components/) imports no feature (web/src/features/).
 */

const ROOT = path.resolve(import.meta.dirname, '..');

type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|vue)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The script of a .vue file (both blocks), or the file itself. */
function scriptOf(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  if (!file.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** A relative specifier as the file it names: `.js` is the compiled name of a `.ts` file. */
function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}.vue`, path.join(base, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

/** Files (relative to the repository) and the files each imports; unresolvable relative imports are reported. */
function importGraph(dirs: string[]): { graph: Graph; unresolved: string[] } {
  const graph: Graph = new Map();
  const unresolved: string[] = [];
  for (const dir of dirs) {
    for (const file of sourceFiles(path.join(ROOT, dir))) {
      const { importedFiles } = ts.preProcessFile(scriptOf(file), true, true);
      const targets: string[] = [];
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const target = resolve(file, fileName);
        if (target) targets.push(path.relative(ROOT, target));
        else unresolved.push(`${path.relative(ROOT, file)} -> ${fileName}`);
      }
      graph.set(path.relative(ROOT, file), [...new Set(targets)]);
    }
  }
  return { graph, unresolved };
}

/** Every cycle's path (one per strongly connected group of files), e.g. `a.ts -> b.ts -> a.ts`. */
function cycles(graph: Graph): string[] {
  // Tarjan's strongly connected components, then one concrete loop through each component found by BFS.
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const components: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && (graph.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);

  return components.map((component) => {
    const inside = new Set(component);
    const start = [...component].sort()[0];
    // Shortest way back to the start within the component.
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const loop = [start];
          for (let u = v; u !== start; u = previous.get(u)!) loop.splice(1, 0, u);
          return [...loop, start].join(' -> ');
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return component.join(' -> ');
  });
}

function arrows(graph: Graph, from: RegExp, to: RegExp): string[] {
  return [...graph].flatMap(([file, targets]) => (from.test(file) ? targets.filter((t) => to.test(t)).map((t) => `${file} -> ${t}`) : []));
}

const server = importGraph(['server/src']);
const web = importGraph(['web/src']);

describe('the import graph', () => {
  it('resolves every relative import to a file of ours', () => {
    expect([...server.unresolved, ...web.unresolved]).toEqual([]);
    // The graph holds what the rules are about (guards against a parser that finds nothing).
    expect(server.graph.get('server/src/app.ts')).toContain('server/src/services.ts');
    expect(server.graph.get('server/src/modules/tickets/tickets.resolver.ts')).toContain('server/src/modules/context.ts');
    expect([...web.graph.values()].some((targets) => targets.some((t) => t.endsWith('.vue')))).toBe(true);
  });

  it('has no cycle in the server', () => {
    expect(cycles(server.graph)).toEqual([]);
  });

  it('has no cycle in the web app', () => {
    expect(cycles(web.graph)).toEqual([]);
  });

  it('keeps the infrastructure free of feature modules', () => {
    expect(arrows(server.graph, /^server\/src\/(common|database|events|http|graphql|config)\//, /^server\/src\/modules\//)).toEqual([]);
  });

  it('keeps feature modules off the composition root', () => {
    expect(arrows(server.graph, /^server\/src\/modules\//, /^server\/src\/(services|app|main|bootstrap)\.ts$/)).toEqual([]);
  });

  it('keeps shared web components free of features', () => {
    expect(arrows(web.graph, /^web\/src\/components\//, /^web\/src\/features\//)).toEqual([]);
  });

  it('finds a cycle and a forbidden arrow where there is one', () => {
    // The checks themselves, on a made-up graph: a -> b -> c -> a, and infrastructure importing a feature.
    const made: Graph = new Map([
      ['server/src/common/a.ts', ['server/src/modules/x/b.ts']],
      ['server/src/modules/x/b.ts', ['server/src/modules/x/c.ts']],
      ['server/src/modules/x/c.ts', ['server/src/common/a.ts', 'server/src/services.ts']],
      ['server/src/services.ts', []],
    ]);
    expect(cycles(made)).toEqual(['server/src/common/a.ts -> server/src/modules/x/b.ts -> server/src/modules/x/c.ts -> server/src/common/a.ts']);
    expect(arrows(made, /^server\/src\/common\//, /^server\/src\/modules\//)).toEqual(['server/src/common/a.ts -> server/src/modules/x/b.ts']);
    expect(arrows(made, /^server\/src\/modules\//, /^server\/src\/services\.ts$/)).toEqual(['server/src/modules/x/c.ts -> server/src/services.ts']);
  });
});
