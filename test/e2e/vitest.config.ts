import { defineConfig } from 'vitest/config';
import { alias } from '../../vitest.config.js';

/** Browser tests: the built app in Debian's Chromium through playwright-core, one file at a time. */
export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A page answers within a second on a quiet machine; under load (CI, other work) give live updates longer.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
  },
});
