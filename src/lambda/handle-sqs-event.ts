import type { Message } from "@aws-sdk/client-sqs";
import type { Logger } from "probot";
import { MessageLeftOnQueueError } from "../intake/handle-queue-message.js";
import { sqsEventSchema, type SqsBatchResult } from "./lambda-events.schema.js";

/**
 * An SQS event source batch, handled concurrently. Only the messages that failed are reported
 * (ReportBatchItemFailures), so Lambda deletes the rest and only those come back.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export async function handleSqsEvent(
  handle: (message: Message) => Promise<void>,
  log: Logger,
  event: unknown,
): Promise<SqsBatchResult> {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) {
    // Without message ids nothing can be reported one by one: fail the whole invocation.
    throw new Error(`not an SQS event: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const results = await Promise.all(
    parsed.data.Records.map(async (record) => {
      try {
        await handle({
          MessageId: record.messageId,
          Body: record.body,
          ReceiptHandle: record.receiptHandle,
        });
        return undefined;
      } catch (error) {
        // The queue handler logs its own failures once, with the reason; only surprises are logged here.
        if (!(error instanceof MessageLeftOnQueueError))
          log.error(
            { err: error, messageId: record.messageId },
            "message failed; Lambda returns it to the queue",
          );
        return { itemIdentifier: record.messageId };
      }
    }),
  );
  return { batchItemFailures: results.filter((failure) => failure !== undefined) };
}
