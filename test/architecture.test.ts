import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The server's modules meet only at their front doors: a file of server/src/modules/A imports another module B
 * only through B/index.ts, never B's inner files. `node scripts/module-index.mjs` rewrites imports that way.
 */
const SRC = path.resolve(import.meta.dirname, '../server/src');
const MODULES = path.join(SRC, 'modules');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative specifiers of a file's static imports and re-exports (multi-line ones included) and dynamic imports. */
function importSpecifiers(text: string): string[] {
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gms), ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => m[1]).filter((s) => s.startsWith('.'));
}

const moduleOf = (file: string): string | null => {
  const rel = path.relative(MODULES, file);
  if (rel.startsWith('..')) return null;
  // Files directly in modules/ (the shared context, loaders and entity list) belong to no module.
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : null;
};

/** `importer -> target` for every import of one module's inner file from another module. */
function violations(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    const own = moduleOf(file);
    if (!own) continue;
    for (const spec of importSpecifiers(text)) {
      const target = path.resolve(path.dirname(file), spec);
      const other = moduleOf(target);
      if (!other || other === own) continue;
      if (path.relative(path.join(MODULES, other), target).replace(/\.[jt]s$/, '') !== 'index') {
        found.push(`${path.relative(SRC, file)} -> ${spec}`);
      }
    }
  }
  return found;
}

describe('module boundaries', () => {
  it('finds an inner-file import across modules, and lets the index and a module’s own files through', () => {
    // Setup: a written-down tree, with the answers known independently of the server
    const at = (p: string) => path.join(MODULES, p);
    const files = new Map([
      [at('governance/a.ts'), `import { Measure } from '../measures/measure.entity.js';\nimport type { X } from '../measures/index.js';`],
      [at('governance/b.ts'), `import {\n  lock,\n  type Y,\n} from '../measures/measure-transitions.js';\nimport { c } from './c.js';`],
      [at('tickets/parsing/p.ts'), `import { escapeLike } from '../../users/users.service.js';\nimport { x } from '../sla.js';`],
      [at('users/u.ts'), `export { a } from '../access/index.js';\nconst m = await import('../audit/audit-writer.js');`],
      [path.join(SRC, 'services.ts'), `import { GatesService } from './modules/governance/gates.service.js';`],
    ]);
    // Action and assert
    expect(violations(files)).toEqual([
      'modules/governance/a.ts -> ../measures/measure.entity.js',
      'modules/governance/b.ts -> ../measures/measure-transitions.js',
      'modules/tickets/parsing/p.ts -> ../../users/users.service.js',
      'modules/users/u.ts -> ../audit/audit-writer.js',
    ]);
  });

  it('holds for every file under server/src', () => {
    const files = new Map(sources(SRC).map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const crossModule = [...files].filter(([f, text]) => moduleOf(f) && importSpecifiers(text).some((s) => /\/index\.js$/.test(s)));
    expect(crossModule.length).toBeGreaterThan(10);
    expect(violations(files)).toEqual([]);
  });

  it('moves a measure’s version in one place only, MeasureTransitions', () => {
    const writers = sources(SRC)
      .filter((f) => !f.endsWith('.test.ts'))
      .filter((f) => /\bversion\s*=\s*version\s*\+\s*1\b/i.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(writers).toEqual(['modules/measures/measure-transitions.ts']);
  });
});
