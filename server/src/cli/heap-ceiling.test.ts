import { describe, expect, it } from 'vitest';
import { HeapCeiling } from './heap-ceiling.js';

describe('HeapCeiling', () => {
  it('collects only once the heap holds more than the ceiling', () => {
    let used = 50;
    let collections = 0;
    const heap = new HeapCeiling(100, () => collections++, () => used);
    heap.check();
    used = 100;
    heap.check();
    expect(collections).toBe(0);
    used = 101;
    heap.check();
    expect(collections).toBe(1);
  });

  it('does nothing, and says it is off, when node was started without --expose-gc', () => {
    const heap = new HeapCeiling(0, undefined, () => 1e9);
    expect(heap.enabled).toBe(false);
    expect(() => heap.check()).not.toThrow();
  });
});
