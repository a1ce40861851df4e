import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { sendInBatches } from "./send-in-batches.js";

/**
 * While a handler runs, its message's visibility is extended every `intervalMs` (a third of the
 * visibility timeout), so long work (GitHub's write budget, retries) is not handed to another
 * replica. One timer for all messages in hand and one ChangeMessageVisibilityBatch per 10 of
 * them: with hundreds in hand, a timer and a request per message would cost ten times as many
 * requests. A message received just after a tick is first extended one interval later, well
 * inside its visibility timeout.
 */
export function createVisibilityHeartbeat({
  sqs,
  queueUrl,
  log,
  visibilityTimeoutSeconds,
  intervalMs,
  handling,
}: {
  sqs: SQSClient;
  queueUrl: string;
  log: Logger;
  visibilityTimeoutSeconds: number;
  intervalMs: number;
  /** The messages whose handler is still running, read at every tick. */
  handling: ReadonlySet<Message>;
}) {
  let timer: NodeJS.Timeout | undefined;
  const beat = () =>
    sendInBatches(
      [...handling],
      (entries) =>
        sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: entries.map((entry) => ({
              ...entry,
              VisibilityTimeout: visibilityTimeoutSeconds,
            })),
          }),
        ),
      { log, operation: "ChangeMessageVisibilityBatch", stillRelevant: (m) => handling.has(m) },
    );
  return {
    start() {
      timer ??= setInterval(() => void beat(), intervalMs);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
