import { createRequire } from 'node:module';
import path from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export const alias = [
  // type-graphql loads graphql's CommonJS build; pin every import of graphql to that one copy so the schema's
  // classes and ours come from the same module ("another module or realm" otherwise).
  { find: /^graphql$/, replacement: require.resolve('graphql') },
  { find: /^@gatehouse\/shared$/, replacement: path.resolve(import.meta.dirname, 'shared/src/index.ts') },
];

export default defineConfig({
  // Compiles the web app's .vue files for its component tests; DOM tests pick happy-dom per file
  // (`// @vitest-environment happy-dom`), so everything else stays in node.
  plugins: [vue()],
  resolve: { alias },
  test: {
    include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Request lines of every test app would drown the output; tests that read logs pass their own logger.
    env: { LOG_LEVEL: 'error' },
  },
});
