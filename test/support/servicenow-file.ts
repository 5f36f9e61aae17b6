// The generator lives with the benchmarks, which need it without a TypeScript build.
// @ts-expect-error: plain JavaScript module without type declarations
export { writeServiceNowFile as writeServiceNowExport } from '../../bench/lib/servicenow-file.mjs';
