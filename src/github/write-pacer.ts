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

/**
 * "decision": a write that records or shows a decision (the check run's PATCH on the decision
 * path). It goes ahead of every waiting "normal" write (replies, reactions, refusals, notices),
 * and may use a reserve of each budget that normal writes leave alone, so a flood of normal
 * writes never makes a decision wait for GitHub's window to reopen.
 */
export type WritePriority = "decision" | "normal";

/** The request option that carries a write's priority to the pacer (create-github-octokit.ts). */
export function writePriorityOption(priority: WritePriority): { writePriority: WritePriority } {
  return { writePriority: priority };
}

export function writePriorityOf(requestOptions: unknown): WritePriority {
  return typeof requestOptions === "object" &&
    requestOptions !== null &&
    (requestOptions as { writePriority?: unknown }).writePriority === "decision"
    ? "decision"
    : "normal";
}

export interface WritePacer {
  /**
   * Waits until a write for `key` (an installation) may start; the returned function must be
   * called once the write has completed, failed or not.
   */
  acquire(key: string, priority?: WritePriority): Promise<() => void>;
  /** Writes waiting for `key`'s budget (not yet started). */
  waiting(key: string): number;
}

export interface WritePacerOptions {
  limits?: readonly WriteLimit[];
  /** Writes of one key in flight at once; GitHub asks for mutative requests one at a time. */
  maxConcurrent?: number;
  /**
   * The share of each budget only decision writes may use: none by default; the app's Octokit
   * keeps 1/8 (10 of 80 a minute, 63 of 500 an hour).
   */
  decisionReserve?: number;
  now?: () => number;
}

interface Lane {
  /** Completion times, oldest first, within the longest window. */
  completed: number[];
  inFlight: number;
  /** Waiting writes by priority; decisions are started first. */
  queues: Record<WritePriority, (() => void)[]>;
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
  decisionReserve = 0,
  now = Date.now,
}: WritePacerOptions = {}): WritePacer {
  const lanes = new Map<string, Lane>();
  const longest = Math.max(0, ...limits.map((limit) => limit.windowMs));

  const lane = (key: string) => {
    let found = lanes.get(key);
    if (!found) {
      found = {
        completed: [],
        inFlight: 0,
        queues: { decision: [], normal: [] },
        timer: undefined,
      };
      lanes.set(key, found);
    }
    return found;
  };

  /** When the next write may start: now, later (a time), or once a write completes (Infinity). */
  const opening = (state: Lane, at: number, priority: WritePriority): number => {
    if (state.inFlight >= maxConcurrent) return Infinity;
    let earliest = at;
    for (const limit of limits) {
      const { windowMs } = limit;
      const max =
        priority === "decision"
          ? limit.max
          : Math.max(1, limit.max - Math.ceil(limit.max * decisionReserve - 1e-9));
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
    for (;;) {
      const priority: WritePriority | undefined =
        state.queues.decision.length > 0
          ? "decision"
          : state.queues.normal.length > 0
            ? "normal"
            : undefined;
      if (!priority) break;
      const next = opening(state, at, priority);
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
      state.queues[priority].shift()!();
    }
    if (state.inFlight === 0 && state.completed.length === 0) lanes.delete(key);
  };

  return {
    acquire(key, priority = "normal") {
      const state = lane(key);
      return new Promise((resolve) => {
        state.queues[priority].push(() => {
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
      const queues = lanes.get(key)?.queues;
      return queues ? queues.decision.length + queues.normal.length : 0;
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
