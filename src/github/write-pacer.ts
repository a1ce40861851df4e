/** At most `max` requests in any `windowMs`: one of GitHub's content-creation budgets. */
export interface WriteLimit {
  max: number;
  windowMs: number;
}

/**
 * GitHub's secondary rate limits for content-creating requests: "no more than 80 content-generating
 * requests per minute and no more than 500 content-generating requests per hour", per installation.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
export const githubWriteLimits: readonly WriteLimit[] = [
  { max: 80, windowMs: 60_000 },
  { max: 500, windowMs: 3_600_000 },
];

export interface WritePacer {
  /**
   * Waits until a write for `key` (an installation) may start; the returned function must be
   * called once the write has completed, failed or not.
   */
  acquire(key: string): Promise<() => void>;
  /** Writes waiting for `key`'s budget (not yet started). */
  waiting(key: string): number;
}

export interface WritePacerOptions {
  limits?: readonly WriteLimit[];
  /** Writes of one key in flight at once; GitHub asks for mutative requests one at a time. */
  maxConcurrent?: number;
  now?: () => number;
}

interface Lane {
  /** Completion times, oldest first, within the longest window. */
  completed: number[];
  inFlight: number;
  queue: (() => void)[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Paces writes per key over sliding windows, first come first served within a key and independent
 * across keys, so one installation's burst never delays another's writes.
 *
 * A write counts against a window from the moment it starts until `windowMs` after it completed:
 * GitHub counts it at some instant in between, so however GitHub's window is aligned and however
 * long a request waited on the way, any `windowMs` holds at most `max` of them.
 */
export function createWritePacer({
  limits = githubWriteLimits,
  maxConcurrent = 1,
  now = Date.now,
}: WritePacerOptions = {}): WritePacer {
  const lanes = new Map<string, Lane>();
  const longest = Math.max(0, ...limits.map((limit) => limit.windowMs));

  const lane = (key: string) => {
    let found = lanes.get(key);
    if (!found) {
      found = { completed: [], inFlight: 0, queue: [], timer: undefined };
      lanes.set(key, found);
    }
    return found;
  };

  /** When the next write may start: now, later (a time), or once a write completes (Infinity). */
  const opening = (state: Lane, at: number): number => {
    if (state.inFlight >= maxConcurrent) return Infinity;
    let earliest = at;
    for (const { max, windowMs } of limits) {
      if (state.inFlight >= max) return Infinity;
      const first = firstAfter(state.completed, at - windowMs);
      const counted = state.completed.length - first;
      const excess = state.inFlight + counted - (max - 1);
      // The `excess` oldest writes in the window must leave it first.
      if (excess > 0)
        earliest = Math.max(earliest, state.completed[first + excess - 1]! + windowMs);
    }
    return earliest;
  };

  const pump = (key: string, state: Lane) => {
    const at = now();
    state.completed.splice(0, firstAfter(state.completed, at - longest));
    while (state.queue.length > 0) {
      const next = opening(state, at);
      if (next > at) {
        if (Number.isFinite(next) && !state.timer) {
          state.timer = setTimeout(() => {
            state.timer = undefined;
            pump(key, state);
          }, next - at);
        }
        return;
      }
      state.inFlight += 1;
      state.queue.shift()!();
    }
    if (state.inFlight === 0 && state.completed.length === 0) lanes.delete(key);
  };

  return {
    acquire(key) {
      const state = lane(key);
      return new Promise((resolve) => {
        state.queue.push(() => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            state.inFlight -= 1;
            const at = now();
            state.completed.push(Math.max(at, state.completed.at(-1) ?? at));
            pump(key, state);
          });
        });
        pump(key, state);
      });
    },
    waiting(key) {
      return lanes.get(key)?.queue.length ?? 0;
    },
  };
}

/** Index of the first element greater than `value` in an ascending array. */
function firstAfter(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! > value) high = middle;
    else low = middle + 1;
  }
  return low;
}
