import v8 from 'node:v8';

/** The node flag the import is started with (npm run import, the tests, the benchmark): it exposes `gc()`. */
export const IMPORT_NODE_FLAGS = ['--expose-gc'] as const;

/**
 * Keeps a long import's heap under a ceiling by asking for a full collection once it passes it.
 *
 * V8 lets its old generation grow to about four times what survived the last full collection before it
 * collects again. An import's batches live long enough (parsed, prepared, written) to be promoted there and then
 * die, so the heap of a million-row import swung between 36 and 190 MB and its peak RSS reached 300 MB. A forced
 * collection with ~40 MB alive takes some 20 ms, once every few batches. `gc()` exists only when node was started
 * with --expose-gc (IMPORT_NODE_FLAGS); --max-old-space-size is not used instead because it is a hard limit: an
 * import that did need more would abort with an out-of-memory error rather than run a little larger.
 */
export class HeapCeiling {
  private readonly collect: (() => void) | undefined;

  constructor(
    private readonly bytes: number,
    collect: (() => void) | undefined = globalThis.gc,
    private readonly usedHeap: () => number = () => v8.getHeapStatistics().used_heap_size,
  ) {
    this.collect = collect;
  }

  /** False when node was started without --expose-gc: the heap then grows as V8 lets it. */
  get enabled(): boolean {
    return this.collect !== undefined;
  }

  /** Collects now if the heap holds more than the ceiling. */
  check(): void {
    if (this.collect && this.usedHeap() > this.bytes) this.collect();
  }
}
