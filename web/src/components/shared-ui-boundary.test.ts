import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Shared UI knows no feature: what a component needs from one (the currency, say) is provided to it or passed in. */
describe('the shared components', () => {
  it('import nothing from a feature', () => {
    const dir = import.meta.dirname;
    const offenders = fs
      .readdirSync(dir)
      .filter((f) => /\.(ts|vue)$/.test(f))
      .filter((f) => /from\s+['"][^'"]*\/features\//.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
