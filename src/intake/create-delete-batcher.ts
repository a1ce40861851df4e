import { DeleteMessageBatchCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { maxBatchEntries, sendInBatches } from "./send-in-batches.js";

/**
 * Deletes finished messages with DeleteMessageBatch: a delete waits up to `lingerMs` for others
 * to share its request (10 at most), so a busy consumer pays one request per 10 messages instead
 * of one each (SQS bills per request). 200 ms is the default batch window of AWS's own buffered
 * SQS client (QueueBufferConfig.MAX_BATCH_OPEN_MS_DEFAULT); it is nothing beside the visibility
 * timeout. `delete` resolves once SQS answered and never rejects: a failure is logged with the
 * messageId and the message comes back after its visibility timeout. The IAM action stays
 * sqs:DeleteMessage, which covers the batch version
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).
 */
export function createDeleteBatcher({
  sqs,
  queueUrl,
  log,
  lingerMs = 200,
}: {
  sqs: SQSClient;
  queueUrl: string;
  log: Logger;
  lingerMs?: number;
}) {
  let pending: { message: Message; deleted: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    void sendInBatches(
      batch.map((entry) => entry.message),
      (Entries) => sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries })),
      { log, operation: "DeleteMessageBatch" },
    ).finally(() => {
      for (const entry of batch) entry.deleted();
    });
  };

  return {
    delete(message: Message): Promise<void> {
      return new Promise((deleted) => {
        pending.push({ message, deleted });
        if (pending.length >= maxBatchEntries) flush();
        else timer ??= setTimeout(flush, lingerMs);
      });
    },
    /** Sends what waits now (a stop that gives up waiting: the process is about to exit). */
    flush,
  };
}
