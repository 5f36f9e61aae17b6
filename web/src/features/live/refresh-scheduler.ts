/**
 * Coalesces bursts of live events into few refreshes. A decision on the gate board fires a gate request event
 * and a measure event (and the portfolio follows); the page should read again once, shortly after the last of
 * them, not three times. A refresh that is running when more events arrive is followed by exactly one more,
 * so the page always ends on the newest state.
 */
export interface RefreshScheduler {
  /** Something changed: refresh soon. */
  notify(): void;
  /** Refresh now if one is waiting (tests, and pages that must not wait). */
  flush(): Promise<void>;
  dispose(): void;
  /** True while a refresh is waiting or running. */
  readonly pending: boolean;
}

export interface RefreshSchedulerOptions {
  /** How long to wait for more events before refreshing; small enough to stay well within a second. */
  delayMs: number;
  run: () => Promise<unknown>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function createRefreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let running: Promise<void> | null = null;
  let again = false;
  let disposed = false;

  const start = (): Promise<void> => {
    timer = null;
    if (disposed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = options
      .run()
      .catch(() => undefined)
      .then(() => {
        running = null;
        if (again && !disposed) {
          again = false;
          schedule();
        }
      });
    return running;
  };

  const schedule = () => {
    if (timer !== null || disposed) return;
    timer = setTimer(() => void start(), options.delayMs);
  };

  return {
    notify() {
      if (running) again = true;
      else schedule();
    },
    async flush() {
      if (timer !== null) {
        clearTimer(timer);
        await start();
      } else if (running) await running;
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    get pending() {
      return timer !== null || running !== null;
    },
  };
}
