import type { BatchResultErrorEntry, Message } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";

/** SQS takes at most 10 entries per batch request (DeleteMessageBatch, ChangeMessageVisibilityBatch). */
export const maxBatchEntries = 10;

/** What SQS answers to a batch request: the entries it could not apply, by the Id we gave. */
interface BatchOutput {
  Failed?: BatchResultErrorEntry[] | undefined;
}

export const messageRequestFailed =
  "SQS request about a message failed (a delete or a visibility extension); a message not deleted comes back and is handled again, idempotently";

/**
 * Sends one batch request per 10 messages, one after another (each entry's Id is its index), and
 * logs every message SQS did not act on, once, with its messageId. Never throws: a message not
 * deleted or not extended comes back after its visibility timeout, and its work is idempotent.
 * `stillRelevant` drops the log line of a message that meanwhile left the hand (a visibility
 * extension that lost the race with the message's delete).
 */
export async function sendInBatches(
  messages: readonly Message[],
  send: (entries: { Id: string; ReceiptHandle: string | undefined }[]) => Promise<BatchOutput>,
  {
    log,
    operation,
    stillRelevant = () => true,
  }: {
    log: Logger;
    operation: string;
    stillRelevant?: (message: Message) => boolean;
  },
): Promise<void> {
  for (let start = 0; start < messages.length; start += maxBatchEntries) {
    const chunk = messages.slice(start, start + maxBatchEntries);
    const entries = chunk.map((message, index) => ({
      Id: String(index),
      ReceiptHandle: message.ReceiptHandle,
    }));
    try {
      const { Failed = [] } = await send(entries);
      for (const failed of Failed) {
        const message = chunk[Number(failed.Id)];
        if (!message || !stillRelevant(message)) continue;
        log.error(
          { messageId: message.MessageId, operation, code: failed.Code, reason: failed.Message },
          messageRequestFailed,
        );
      }
    } catch (error) {
      for (const message of chunk.filter(stillRelevant)) {
        log.error({ err: error, messageId: message.MessageId, operation }, messageRequestFailed);
      }
    }
  }
}
