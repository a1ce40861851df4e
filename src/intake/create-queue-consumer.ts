import { ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { createDeleteBatcher } from "./create-delete-batcher.js";
import { createVisibilityHeartbeat } from "./create-visibility-heartbeat.js";
import { createReceiveHealth } from "./create-receive-health.js";
import { MessageLeftOnQueueError } from "./handle-queue-message.js";

export interface QueueConsumer {
  start(): void;
  /** Stops receiving and resolves once the messages in hand are finished (or the timeout passes). */
  stop(): Promise<void>;
  status(): QueueConsumerStatus;
}

export interface QueueConsumerStatus {
  running: boolean;
  /**
   * When a receive last answered or, while the hand is full, a message last left it; `/ready`
   * calls the consumer stalled when that is too long ago. Undefined until the first receive answered.
   */
  lastPollAt: number | undefined;
  inFlight: number;
  /**
   * False until the first receive succeeded, and while receiving has failed for longer than one
   * long poll (a wrong queue URL, a missing permission): what `/ready` answers.
   */
  ready: boolean;
  /** Since when every receive has failed, if the last one did. */
  failingSince: number | undefined;
}

export interface QueueConsumerOptions {
  queueUrl: string;
  sqs: SQSClient;
  handle: (message: Message) => Promise<void>;
  log: Logger;
  /** Messages asked for per ReceiveMessage (SQS returns at most 10). */
  batchSize?: number;
  /** Received and not yet deleted or given up: at this many, the consumer stops receiving. */
  maxInHand?: number;
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
  stopTimeoutMs?: number;
  /** After a failed ReceiveMessage (the SDK has already retried), as sqs-consumer pauses. */
  receiveFailurePauseMs?: number;
  now?: () => number;
}

/**
 * Long-polls the queue and keeps receiving while messages are in hand, up to `maxInHand`: a
 * message waiting for its installation's GitHub write budget holds one place, not the consumer,
 * so other installations' approvals go on. Each message is handled on its own: deleted (with
 * DeleteMessageBatch) once its handler resolved; one whose handler threw is not deleted, stops
 * being extended and comes back after the visibility timeout (after the queue's maxReceiveCount,
 * it moves to the dead-letter queue). While a handler runs, a heartbeat extends its visibility.
 *
 * Why not sqs-consumer: it receives again only once every message of a batch is done, and its
 * maintainers declined a concurrency option (bbc/sqs-consumer#229, #449, #562 closed); their
 * advice, one Consumer per 10 messages, would hold hundreds of messages with dozens of long polls
 * open at once (the SDK's HTTP agent has 50 sockets, which deletes and heartbeats need too), and a
 * slow message would still idle its 9 batch-mates' places. What it did for us (receive, delete,
 * extend, stop) is a loop and two batched requests, here and in the two files it imports.
 */
export function createQueueConsumer({
  queueUrl,
  sqs,
  handle,
  log,
  batchSize = 10,
  maxInHand = 500,
  visibilityTimeoutSeconds = 120,
  waitTimeSeconds = 20,
  stopTimeoutMs = 30_000,
  receiveFailurePauseMs = 10_000,
  now = Date.now,
}: QueueConsumerOptions): QueueConsumer {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError(`batchSize must be a whole number from 1 to 10, not ${batchSize}`);
  }
  if (!Number.isInteger(maxInHand) || maxInHand < 1) {
    throw new RangeError(`maxInHand must be a whole number of at least 1, not ${maxInHand}`);
  }
  // Received and not yet deleted or given up: what the bound counts and a stop waits for.
  const inHand = new Set<Message>();
  // Their handlers still run: what the heartbeat extends.
  const handling = new Set<Message>();
  const deletes = createDeleteBatcher({ sqs, queueUrl, log });
  const heartbeat = createVisibilityHeartbeat({
    sqs,
    queueUrl,
    log,
    visibilityTimeoutSeconds,
    intervalMs: (visibilityTimeoutSeconds * 1000) / 3,
    handling,
  });
  let running = false;
  // A failing streak longer than one long poll is a broken queue, not a blip.
  const health = createReceiveHealth({
    queueUrl,
    log,
    failureGraceMs: Math.max(waitTimeSeconds, 1) * 1000,
    now,
  });
  let loop: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let receiving: AbortController | undefined;
  // Wakes the loop from waiting for room, from a pause after a failed receive, or for the stop.
  let wake: (() => void) | undefined;
  let emptied: (() => void) | undefined;
  const sleep = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => wake?.(), ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  const receive = async (max: number): Promise<Message[]> => {
    receiving = new AbortController();
    try {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitTimeSeconds,
          VisibilityTimeout: visibilityTimeoutSeconds,
          // ApproximateReceiveCount, for the log lines of messages that keep failing. Real SQS
          // answers MessageSystemAttributeNames; the "All" of the older AttributeNames covers
          // local emulators.
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          AttributeNames: ["All"],
        }),
        { abortSignal: receiving.signal },
      );
      health.succeeded();
      return out.Messages ?? [];
    } catch (error) {
      if (!running && isAbort(error)) {
        log.debug("idle long poll cut short by the stop");
      } else {
        health.failed(error);
        if (running) await sleep(receiveFailurePauseMs);
      }
      return [];
    } finally {
      receiving = undefined;
    }
  };

  const work = async (message: Message) => {
    inHand.add(message);
    handling.add(message);
    let finished = false;
    try {
      await handle(message);
      finished = true;
    } catch (error) {
      if (!(error instanceof MessageLeftOnQueueError)) {
        log.error(
          { err: error, messageId: message.MessageId },
          "message failed; it stays on the queue and is retried after the visibility timeout",
        );
      }
    } finally {
      handling.delete(message);
    }
    if (finished) await deletes.delete(message);
    inHand.delete(message);
    if (inHand.size === 0) emptied?.();
    if (inHand.size === maxInHand - 1) {
      // The loop was waiting for room: a hand that keeps moving is not stalled.
      health.moved();
      wake?.();
    }
  };

  const receiveLoop = async () => {
    while (running) {
      const room = maxInHand - inHand.size;
      if (room <= 0) {
        await sleep();
        continue;
      }
      for (const message of await receive(Math.min(batchSize, room))) void work(message);
    }
  };

  const drained = () =>
    new Promise<void>((resolve) => {
      if (inHand.size === 0) return resolve();
      emptied = resolve;
    });

  const stopNow = async () => {
    running = false;
    // Cut the long poll short: a message it was about to return stays hidden for one visibility
    // timeout, then comes back. Deletes and heartbeats are separate requests and carry on.
    receiving?.abort();
    wake?.();
    await loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      drained(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, stopTimeoutMs))),
    ]);
    clearTimeout(timer);
    deletes.flush();
    heartbeat.stop();
    health.stop();
    log.info({ unfinished: inHand.size }, "intake stopped");
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopping = undefined;
      heartbeat.start();
      loop = receiveLoop();
      log.info({ queueUrl, maxInHand }, "intake started: polling the approval queue");
    },
    stop() {
      if (running) stopping = stopNow();
      return stopping ?? Promise.resolve();
    },
    status() {
      const at = now();
      return {
        running,
        lastPollAt: health.lastPollAt(),
        inFlight: inHand.size,
        ready: running && health.isReady(at),
        failingSince: health.failingSince(),
      };
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
