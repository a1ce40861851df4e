export interface ConcurrencyLimit {
  /** Waits for one of `key`'s slots; the returned function frees it. */
  acquire(key: string): Promise<() => void>;
}

/**
 * At most `max` requests in flight per key (an installation), first come first served. GitHub
 * allows 100 concurrent requests; staying far below keeps one busy installation from nearing it.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  const lanes = new Map<string, { inFlight: number; queue: (() => void)[] }>();

  return {
    acquire(key) {
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { inFlight: 0, queue: [] }));
      const state = lane;
      return new Promise((resolve) => {
        const start = () => {
          state.inFlight += 1;
          let freed = false;
          resolve(() => {
            if (freed) return;
            freed = true;
            state.inFlight -= 1;
            const next = state.queue.shift();
            if (next) next();
            else if (state.inFlight === 0) lanes.delete(key);
          });
        };
        if (state.inFlight < max) start();
        else state.queue.push(start);
      });
    },
  };
}
