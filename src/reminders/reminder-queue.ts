import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ReminderMessage } from "../intake/queue-message.schema.js";

/** Where reminders wait: the bridge's own queue, the one intake reads (SQS_QUEUE_URL). */
export interface ReminderQueue {
  send(message: ReminderMessage, delaySeconds: number): Promise<void>;
}

/** Needs sqs:SendMessage on the queue (deploy/template.yaml, BridgePolicy). */
export function createReminderQueue({
  sqs,
  queueUrl,
}: {
  sqs: Pick<SQSClient, "send">;
  queueUrl: string;
}): ReminderQueue {
  return {
    async send(message, delaySeconds) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          DelaySeconds: delaySeconds,
        }),
      );
    },
  };
}
