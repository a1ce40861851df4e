import type { TrackedApproval } from "./check-run-record.js";

/**
 * Serializes decisions on one approval inside this process and remembers the newest record of each,
 * so a second click that arrives with an out-of-date webhook payload sees the first click's result.
 * Across replicas, CodePipeline is the arbiter: a token can be answered once.
 */
export interface DecisionGuard {
  run<T>(key: string, work: (latest: TrackedApproval | undefined) => Promise<T>): Promise<T>;
  remember(key: string, tracked: TrackedApproval): void;
  /** The newest record remembered for `key`, without waiting for the work queued on it. */
  latest(key: string): TrackedApproval | undefined;
}

export function createDecisionGuard({ maxRemembered = 1000 } = {}): DecisionGuard {
  const queues = new Map<string, Promise<unknown>>();
  const latest = new Map<string, TrackedApproval>();

  return {
    run(key, work) {
      const previous = queues.get(key) ?? Promise.resolve();
      const current = previous.then(
        () => work(latest.get(key)),
        () => work(latest.get(key)),
      );
      queues.set(key, current);
      const cleanup = () => {
        if (queues.get(key) === current) queues.delete(key);
      };
      current.then(cleanup, cleanup);
      return current;
    },
    latest(key) {
      return latest.get(key);
    },
    remember(key, tracked) {
      latest.delete(key);
      latest.set(key, tracked);
      // A Map iterates in insertion order: the first key is the least recently remembered.
      if (latest.size > maxRemembered) latest.delete(latest.keys().next().value as string);
    },
  };
}
