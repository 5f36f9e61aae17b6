import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps a long import's heap under a ceiling by asking for a full collection once it passes it.
 *
 * V8 lets its old generation grow to about four times what survived the last full collection before it
 * collects again. An import's batches live long enough (parsed, prepared, written) to be promoted there and then
 * die, so the heap of a million-row import swung between 36 and 190 MB and its peak RSS reached 300 MB. The
 * flag that bounds the old generation (--max-old-space-size) only counts at startup, which the command line
 * does not control (npm run import, the benchmark, a user's shell); --expose-gc can still be set at run time.
 * A forced collection with ~40 MB alive takes some 20 ms, once every few batches.
 */
export class HeapCeiling {
  private readonly collect: () => void;

  constructor(private readonly bytes: number) {
    v8.setFlagsFromString('--expose-gc');
    this.collect = vm.runInNewContext('gc') as () => void;
  }

  /** Collects now if the heap holds more than the ceiling. */
  check(): void {
    if (v8.getHeapStatistics().used_heap_size > this.bytes) this.collect();
  }
}
