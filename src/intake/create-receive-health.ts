import type { Logger } from "probot";
import { explainReceiveFailure } from "./explain-receive-failure.js";

/**
 * Whether the consumer's receives work, for `/ready` (docs/operations.md, "Health"): not ready until
 * the first receive succeeded, nor while every receive has failed for longer than `failureGraceMs`
 * (one long poll). Each change is logged once, when `/ready` changes, with the queue URL, the
 * error's name and a hint; the failed receives in between only at debug.
 */
export function createReceiveHealth({
  queueUrl,
  log,
  failureGraceMs,
  now,
}: {
  queueUrl: string;
  log: Logger;
  failureGraceMs: number;
  now: () => number;
}) {
  let lastPollAt: number | undefined;
  let failingSince: number | undefined;
  let failedReceives = 0;
  let lastFailure: ReturnType<typeof explainReceiveFailure> | undefined;
  let announced: "ready" | "not-ready" | undefined;
  let timer: NodeJS.Timeout | undefined;

  const isReady = (at: number) =>
    lastPollAt !== undefined && (failingSince === undefined || at - failingSince <= failureGraceMs);

  const announceNotReady = (at: number) => {
    if (announced === "not-ready" || !lastFailure) return;
    announced = "not-ready";
    log.warn(
      {
        queueUrl,
        ...lastFailure,
        failedReceives,
        failingForMs: at - (failingSince ?? at),
      },
      "intake not ready: receiving from the queue fails",
    );
  };

  return {
    isReady,
    lastPollAt: () => lastPollAt,
    failingSince: () => failingSince,
    /** The hand moved while full: the consumer is working, not stalled. */
    moved() {
      lastPollAt = now();
    },
    succeeded() {
      const at = now();
      clearTimeout(timer);
      timer = undefined;
      if (lastPollAt === undefined) {
        log.info({ queueUrl }, "intake ready: the first receive from the queue succeeded");
      } else if (announced === "not-ready") {
        log.info(
          { queueUrl, failedReceives, failingForMs: at - (failingSince ?? at) },
          "intake ready again: receiving from the queue works",
        );
      }
      announced = "ready";
      lastPollAt = at;
      failingSince = undefined;
      failedReceives = 0;
    },
    failed(error: unknown) {
      const at = now();
      failingSince ??= at;
      failedReceives += 1;
      lastFailure = explainReceiveFailure(error);
      log.debug(
        { queueUrl, error: lastFailure.error, failedReceives },
        "receive from the queue failed",
      );
      if (!isReady(at)) {
        announceNotReady(at);
      } else if (!timer) {
        // Still ready until the streak outlasts the grace: say so when /ready turns.
        timer = setTimeout(
          () => {
            timer = undefined;
            if (failingSince !== undefined && !isReady(now())) announceNotReady(now());
          },
          failingSince + failureGraceMs + 1 - at,
        );
        timer.unref();
      }
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
