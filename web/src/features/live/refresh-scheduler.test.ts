import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRefreshScheduler } from './refresh-scheduler';

describe('the live refresh scheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst of events into one refresh shortly after the first', async () => {
    // Setup
    const run = vi.fn(async () => undefined);
    const scheduler = createRefreshScheduler({ delayMs: 100, run });

    // Action: a decision fires a gate request event and a measure event at once.
    scheduler.notify();
    scheduler.notify();
    await vi.advanceTimersByTimeAsync(50);
    scheduler.notify();
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60);

    // Assert
    expect(run).toHaveBeenCalledTimes(1);
    expect(scheduler.pending).toBe(false);
  });

  it('runs once more after a refresh that events overtook, so the page ends on the newest state', async () => {
    let finish: () => void = () => undefined;
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const scheduler = createRefreshScheduler({ delayMs: 10, run });
    scheduler.notify();
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(1);

    // Events while the first refresh is in flight.
    scheduler.notify();
    scheduler.notify();
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(50);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps going after a refresh that failed', async () => {
    const run = vi.fn(async () => {
      throw new Error('network');
    });
    const scheduler = createRefreshScheduler({ delayMs: 5, run });
    scheduler.notify();
    await vi.advanceTimersByTimeAsync(5);
    scheduler.notify();
    await vi.advanceTimersByTimeAsync(5);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('flushes a waiting refresh at once, and does nothing after dispose', async () => {
    const run = vi.fn(async () => undefined);
    const scheduler = createRefreshScheduler({ delayMs: 1000, run });
    scheduler.notify();
    await scheduler.flush();
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.notify();
    scheduler.dispose();
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
