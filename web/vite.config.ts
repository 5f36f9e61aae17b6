import path from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// `npm run dev` serves the app with hot reload and forwards the API to a running server (default port 4000).
const api = process.env.GATEHOUSE_API ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    // The shared domain code is compiled from source, so the web build does not wait for `shared/dist`.
    alias: [{ find: /^@gatehouse\/shared$/, replacement: path.resolve(import.meta.dirname, '../shared/src/index.ts') }],
  },
  server: { proxy: { '/graphql': { target: api, ws: true }, '/healthz': api, '/imports': api } },
  // The manifest names the entry chunk and its static imports, for the bundle-size bench.
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: true, manifest: true },
});
