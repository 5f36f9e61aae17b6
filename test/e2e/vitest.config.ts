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
    pool: 'forks',
  },
});
