import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { Consumer } from "sqs-consumer";
import { MessageLeftOnQueueError } from "./handle-queue-message.js";

export interface QueueConsumer {
  start(): void;
  /** Stops polling and resolves once the messages in hand are finished (or the timeout passes). */
  stop(): Promise<void>;
  status(): { running: boolean; lastPollAt: number | undefined; inFlight: number };
}

export interface QueueConsumerOptions {
  queueUrl: string;
  sqs: SQSClient;
  handle: (message: Message) => Promise<void>;
  log: Logger;
  batchSize?: number;
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
  stopTimeoutMs?: number;
}

/**
 * Long-polls the queue and handles a batch's messages concurrently, each on its own: a message is
 * deleted as soon as its handler resolved; one whose handler threw is not deleted, stops being
 * extended and comes back after the visibility timeout (after the queue's maxReceiveCount, it moves
 * to the dead-letter queue). While a handler runs, a heartbeat keeps extending its message's
 * visibility, so long work (GitHub throttling, retries) is not handed to another replica.
 */
export function createQueueConsumer({
  queueUrl,
  sqs,
  handle,
  log,
  batchSize = 10,
  visibilityTimeoutSeconds = 120,
  waitTimeSeconds = 20,
  stopTimeoutMs = 30_000,
}: QueueConsumerOptions): QueueConsumer {
  // Received and not yet deleted or given up: what a stop must wait for.
  const inHand = new Set<string | undefined>();
  let lastPollAt: number | undefined;

  const consumer = Consumer.create({
    queueUrl,
    sqs,
    batchSize,
    waitTimeSeconds,
    visibilityTimeout: visibilityTimeoutSeconds,
    heartbeatInterval: visibilityTimeoutSeconds / 3,
    pollingCompleteWaitTimeMs: stopTimeoutMs,
    // ApproximateReceiveCount, for the log lines of messages that keep failing. Real SQS answers
    // MessageSystemAttributeNames; the "All" of the older AttributeNames covers local emulators.
    messageSystemAttributeNames: ["ApproximateReceiveCount"],
    attributeNames: ["All"],
    handleMessage: async (message) => {
      try {
        await handle(message);
        return message;
      } catch (error) {
        inHand.delete(message.MessageId);
        if (!(error instanceof MessageLeftOnQueueError)) {
          log.error(
            { err: error, messageId: message.MessageId },
            "message failed; it stays on the queue and is retried after the visibility timeout",
          );
        }
        return undefined;
      }
    },
  });
  const polled = () => {
    lastPollAt = Date.now();
  };
  consumer.on("empty", polled);
  consumer.on("message_received", (message) => inHand.add(message.MessageId));
  consumer.on("message_processed", (message) => inHand.delete(message.MessageId));
  // Emitted once every message of the batch was handled and deleted (or left on the queue).
  consumer.on("response_processed", () => {
    inHand.clear();
    polled();
  });
  let cutShort = false;
  consumer.on("error", (error, messages) => {
    if (cutShort && isAbort(error)) {
      log.debug("idle long poll cut short by the stop");
      return;
    }
    log.error(
      { err: error },
      messages
        ? "SQS request about a message failed (a delete or a visibility extension); a message not deleted comes back and is handled again, idempotently"
        : "SQS request failed",
    );
  });
  consumer.on("processing_error", (error, message) =>
    log.error({ err: error, messageId: message.MessageId }, "SQS message processing failed"),
  );

  return {
    start() {
      lastPollAt = Date.now();
      consumer.start();
      log.info({ queueUrl }, "intake started: polling the approval queue");
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (!consumer.status.isRunning) return resolve();
        consumer.once("stopped", () => {
          log.info({ unfinished: inHand.size }, "intake stopped");
          resolve();
        });
        // With nothing in hand, cut the idle long poll short: a message it was about to return
        // stays on the queue and comes back after the visibility timeout. Otherwise abort nothing
        // (an abort would also cancel the deletes): let the handlers finish and their messages be
        // deleted.
        cutShort = inHand.size === 0;
        consumer.stop({ abort: cutShort });
      });
    },
    status() {
      return { running: consumer.status.isRunning, lastPollAt, inFlight: inHand.size };
    },
  };
}

function isAbort(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    if ((current as { name?: unknown }).name === "AbortError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
