import type { Message } from "@aws-sdk/client-sqs";
import { handleApprovalNeeded, type IntakeDeps } from "./handle-approval-needed.js";
import { parseQueueMessage } from "./parse-queue-message.js";

/** A message that can never succeed: it stays on the queue for the dead-letter redrive. */
export class UnprocessableMessageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnprocessableMessageError";
  }
}

/**
 * One SQS message, start to finish. Resolves when its work is done and it may be deleted; throws to
 * leave it on the queue (for redelivery, and eventually the dead-letter queue).
 */
export function createQueueMessageHandler(deps: IntakeDeps) {
  return async (message: Message): Promise<void> => {
    const log = deps.log.child({ messageId: message.MessageId });
    const parsed = parseQueueMessage(message.Body);
    switch (parsed.kind) {
      case "approval-needed":
        await handleApprovalNeeded(parsed.notification, { ...deps, log });
        return;
      case "approval-state-change":
        log.info({ state: parsed.event.detail.state }, "approval state change received");
        return;
      case "subscription-confirmation":
        log.info(
          { topicArn: parsed.topicArn, type: parsed.type },
          "SNS subscription message: confirm the subscription in the SNS console (or with the SubscribeURL) if it is not confirmed yet; nothing else to do",
        );
        return;
      case "ignored":
        log.info({ reason: parsed.reason }, "message acknowledged without action");
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
