import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "probot";
import { classifyFailure, type FailureClass } from "./classify-failure.js";

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  /** A longer wait (say, a rate limit reset an hour away) is left to the queue's redelivery. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

/** The work failed for good this time; `failure` says whether a later redelivery may succeed. */
export class RetryGaveUpError extends Error {
  constructor(
    readonly failure: FailureClass,
    readonly attempts: number,
    options: ErrorOptions,
  ) {
    super(`gave up after ${attempts} attempt(s): ${failure.why}`, options);
    this.name = "RetryGaveUpError";
  }
}

/**
 * Runs idempotent work, repeating it after transient failures with exponential backoff and
 * jitter (or GitHub's retry-after, when longer). The clients retry single requests first (Octokit's
 * retry and throttling plugins, the AWS SDK's adaptive mode); this repeats the whole message.
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  {
    attempts = 3,
    baseDelayMs = 1000,
    maxDelayMs = 30_000,
    sleep = delay,
    random = Math.random,
    log,
  }: RetryOptions & { log: Logger },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === "permanent" || attempt >= attempts) {
        throw new RetryGaveUpError(failure, attempt, { cause: error });
      }
      const backoff = baseDelayMs * 2 ** (attempt - 1) * (0.5 + random() / 2);
      const wait = Math.round(Math.max(backoff, failure.retryAfterMs ?? 0));
      if (wait > maxDelayMs) throw new RetryGaveUpError(failure, attempt, { cause: error });
      log.warn(
        { why: failure.why, attempt, retryInMs: wait, err: error },
        "transient failure; retrying the message's work",
      );
      await sleep(wait);
    }
  }
}
