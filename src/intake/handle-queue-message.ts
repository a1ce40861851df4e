import type { Message } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { createDecisionGuard } from "../approvals/decision-guard.js";
import { handleApprovalStateChange } from "../lifecycle/handle-approval-state-change.js";
import { handleReminder } from "../reminders/handle-reminder.js";
import type { ReminderQueue } from "../reminders/reminder-queue.js";
import { handleApprovalNeeded, type IntakeDeps } from "./handle-approval-needed.js";
import { parseQueueMessage } from "./parse-queue-message.js";
import { createSingleFlight } from "./single-flight.js";
import { retryTransient, RetryGaveUpError, type RetryOptions } from "./retry-transient.js";

/**
 * The handler could not finish this message and has logged why: it stays on the queue, comes back
 * after the visibility timeout and, after the queue's maxReceiveCount, moves to the dead-letter queue.
 */
export class MessageLeftOnQueueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MessageLeftOnQueueError";
  }
}

/** A message that can never succeed: it stays on the queue for the dead-letter redrive. */
export class UnprocessableMessageError extends MessageLeftOnQueueError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnprocessableMessageError";
  }
}

export interface QueueHandlerDeps extends IntakeDeps {
  /** How long a state-change event waits for a missing check run (lifecycle's settle window). */
  settleMs?: number | undefined;
  retry?: RetryOptions | undefined;
  /**
   * Collaborators made fresh for each message: production shares one read of each repository's
   * policy between the new check run, the PR notice's `notify_pr` and the reminder's
   * `remind_before`.
   */
  forEachMessage?:
    (() => Pick<IntakeDeps, "readPolicy" | "notifyPullRequests" | "scheduleReminders">) | undefined;
  /** The bridge's own queue, where a reminder not yet due is sent again (src/reminders). */
  reminderQueue?: ReminderQueue | undefined;
}

/**
 * One SQS message, start to finish. Resolves when its work is done and it may be deleted; throws a
 * MessageLeftOnQueueError (already logged, once) to leave it on the queue. The work is idempotent,
 * so it is repeated after transient failures and on redelivery.
 */
export function createQueueMessageHandler(deps: QueueHandlerDeps) {
  const guard = createDecisionGuard();
  const singleFlight = deps.singleFlight ?? createSingleFlight();
  return async (message: Message): Promise<void> => {
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount) || undefined;
    const log = deps.log.child({
      messageId: message.MessageId,
      ...(receiveCount ? { receiveCount } : {}),
    });
    const parsed = parseQueueMessage(message.Body);
    switch (parsed.kind) {
      case "approval-needed": {
        // Once per message, not per retry: a retry reuses what the first attempt read and scheduled.
        const scoped = deps.forEachMessage?.();
        await runWork(
          () =>
            handleApprovalNeeded(
              parsed.notification,
              { ...deps, ...scoped, log, singleFlight },
              parsed.account,
            ),
          deps,
          log,
        );
        return;
      }
      case "approval-state-change":
        await runWork(
          () =>
            handleApprovalStateChange(parsed.event, {
              pipelines: deps.pipelines,
              github: deps.github,
              log,
              appId: deps.appId,
              onResolved: deps.onResolved,
              settleMs: deps.settleMs,
              now: deps.now,
              guard,
              defaultAccount: deps.accounts?.home,
            }),
          deps,
          log,
        );
        return;
      case "reminder":
        await runWork(
          () =>
            handleReminder(parsed.reminder, {
              pipelines: deps.pipelines,
              github: deps.github,
              log,
              appId: deps.appId,
              queue: deps.reminderQueue,
              metrics: deps.metrics,
              now: deps.now,
              home: deps.accounts?.home,
            }),
          deps,
          log,
        );
        return;
      case "subscription-confirmation":
        log.info(
          // Not the SubscribeURL: its token lets anyone who reads the logs confirm the subscription.
          { topicArn: parsed.topicArn, type: parsed.type },
          parsed.type === "SubscriptionConfirmation"
            ? "SNS subscription confirmation acknowledged: if the subscription shows as pending in the SNS console, confirm it there; nothing else to do"
            : "SNS unsubscribe confirmation acknowledged: this queue no longer receives the topic's approval notifications; re-subscribe it if that was not intended",
        );
        return;
      case "ignored":
        log.info(
          { reason: parsed.reason },
          "message acknowledged without action; if such messages keep coming, narrow the EventBridge rule to Approval action state changes (README, Operations)",
        );
        return;
      case "invalid":
        log.error(
          { reason: parsed.reason, issues: parsed.issues, bodyLength: message.Body?.length ?? 0 },
          "unprocessable message left for the dead-letter queue",
        );
        throw new UnprocessableMessageError(parsed.reason);
    }
  };
}

async function runWork(work: () => Promise<unknown>, deps: QueueHandlerDeps, log: Logger) {
  try {
    await retryTransient(work, { ...deps.retry, log });
  } catch (error) {
    if (!(error instanceof RetryGaveUpError)) throw error;
    const { failure, attempts } = error;
    if (failure.kind === "transient") {
      log.warn(
        { why: failure.why, attempts, err: error.cause },
        "transient failure persisted; message left on the queue for redelivery after the visibility timeout",
      );
    } else {
      log.error(
        { why: failure.why, err: error.cause },
        "message failed; left on the queue: it is redelivered after the visibility timeout and moves to the dead-letter queue after maxReceiveCount",
      );
    }
    throw new MessageLeftOnQueueError(failure.why, { cause: error.cause });
  }
}
