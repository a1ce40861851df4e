import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { Consumer } from "sqs-consumer";
import { UnprocessableMessageError } from "./handle-queue-message.js";

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
 * Long-polls the queue and handles each batch's messages concurrently. A message is deleted only
 * when its handler resolved; one that throws stays on the queue and comes back after the visibility
 * timeout (and, after the queue's maxReceiveCount, goes to the dead-letter queue).
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
  let inFlight = 0;
  let lastPollAt: number | undefined;

  const handleOne = async (message: Message): Promise<boolean> => {
    inFlight += 1;
    try {
      await handle(message);
      return true;
    } catch (error) {
      if (!(error instanceof UnprocessableMessageError)) {
        log.error(
          { err: error, messageId: message.MessageId },
          "message failed; it stays on the queue and is retried after the visibility timeout",
        );
      }
      return false;
    } finally {
      inFlight -= 1;
    }
  };

  const consumer = Consumer.create({
    queueUrl,
    sqs,
    batchSize,
    waitTimeSeconds,
    visibilityTimeout: visibilityTimeoutSeconds,
    // Keeps long work (GitHub throttling, retries) from being redelivered to another replica.
    heartbeatInterval: Math.max(1, Math.floor(visibilityTimeoutSeconds / 3)),
    pollingCompleteWaitTimeMs: stopTimeoutMs,
    handleMessageBatch: async (messages) => {
      const done = await Promise.all(messages.map(handleOne));
      return messages.filter((_, index) => done[index]);
    },
  });
  const polled = () => {
    lastPollAt = Date.now();
  };
  consumer.on("empty", polled);
  consumer.on("response_processed", polled);
  consumer.on("error", (error) => log.error({ err: error }, "SQS request failed"));
  consumer.on("processing_error", (error) =>
    log.error({ err: error }, "SQS batch processing failed"),
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
          log.info("intake stopped");
          resolve();
        });
        // With nothing in hand, cut the idle long poll short; a message it was about to return
        // stays on the queue. Otherwise let the handlers finish and their messages be deleted.
        consumer.stop({ abort: inFlight === 0 });
      });
    },
    status() {
      return { running: consumer.status.isRunning, lastPollAt, inFlight };
    },
  };
}
