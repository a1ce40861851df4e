import type { z } from "zod";
import {
  approvalNotificationSchema,
  approvalStateChangeEventSchema,
  reminderMessageSchema,
  reminderMessageType,
  snsNotificationSchema,
  snsSubscriptionConfirmationSchema,
  topicArnSchema,
  type ApprovalNotification,
  type ApprovalStateChangeEvent,
  type ReminderMessage,
} from "./queue-message.schema.js";

export type QueueMessage =
  /** `account`: the SNS topic's; absent for raw delivery, which names none. */
  | { kind: "approval-needed"; notification: ApprovalNotification; account?: string }
  | { kind: "approval-state-change"; event: ApprovalStateChangeEvent }
  | { kind: "reminder"; reminder: ReminderMessage }
  | { kind: "subscription-confirmation"; type: string; topicArn: string; subscribeUrl?: string }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string; issues?: z.core.$ZodIssue[] };

/**
 * Classifies one SQS body. Accepts the SNS envelope (raw delivery off), raw approval JSON (raw
 * delivery on), bare EventBridge events and the bridge's own reminders, so one queue carries them
 * all. The approval's AWS account is the topic's (in the envelope's TopicArn) or the event's
 * `account`.
 */
export function parseQueueMessage(body: string | undefined): QueueMessage {
  if (!body) return { kind: "invalid", reason: "the message has no body" };
  const json = parseJson(body);
  if (json === undefined) return { kind: "invalid", reason: "the body is not JSON" };
  if (!isObject(json)) return { kind: "invalid", reason: "the body is not a JSON object" };

  if (json.type === reminderMessageType) {
    const reminder = reminderMessageSchema.safeParse(json);
    return reminder.success
      ? { kind: "reminder", reminder: reminder.data }
      : { kind: "invalid", reason: "malformed reminder message", issues: reminder.error.issues };
  }

  if (json.Type === "Notification") {
    const envelope = snsNotificationSchema.safeParse(json);
    if (!envelope.success) {
      return { kind: "invalid", reason: "malformed SNS envelope", issues: envelope.error.issues };
    }
    const inner = parseJson(envelope.data.Message);
    if (!isObject(inner)) {
      return { kind: "invalid", reason: "the SNS Message is not a JSON object" };
    }
    const classified = classify(inner);
    if (classified.kind !== "approval-needed") return classified;
    // A notification whose account cannot be read is refused: answering it in a guessed account
    // could decide another account's pipeline of the same name.
    const topic = topicArnSchema.safeParse(envelope.data.TopicArn);
    if (!topic.success) {
      return {
        kind: "invalid",
        reason: "the SNS TopicArn is not a topic ARN",
        issues: topic.error.issues,
      };
    }
    return { ...classified, account: topic.data.split(":")[4]! };
  }
  if (json.Type === "SubscriptionConfirmation" || json.Type === "UnsubscribeConfirmation") {
    const confirmation = snsSubscriptionConfirmationSchema.safeParse(json);
    if (!confirmation.success) {
      return {
        kind: "invalid",
        reason: "malformed SNS confirmation",
        issues: confirmation.error.issues,
      };
    }
    const { Type, TopicArn, SubscribeURL } = confirmation.data;
    return {
      kind: "subscription-confirmation",
      type: Type,
      topicArn: TopicArn,
      ...(SubscribeURL ? { subscribeUrl: SubscribeURL } : {}),
    };
  }
  return classify(json);
}

function classify(json: Record<string, unknown>): QueueMessage {
  if ("approval" in json) {
    const notification = approvalNotificationSchema.safeParse(json);
    return notification.success
      ? { kind: "approval-needed", notification: notification.data }
      : {
          kind: "invalid",
          reason: "malformed approval notification",
          issues: notification.error.issues,
        };
  }
  if (json.source === "aws.codepipeline" && typeof json["detail-type"] === "string") {
    if (json["detail-type"] !== "CodePipeline Action Execution State Change") {
      return { kind: "ignored", reason: `CodePipeline event "${json["detail-type"]}" is not used` };
    }
    const event = approvalStateChangeEventSchema.safeParse(json);
    if (!event.success) {
      return {
        kind: "invalid",
        reason: "malformed CodePipeline event",
        issues: event.error.issues,
      };
    }
    if (event.data.detail.type.category !== "Approval") {
      return { kind: "ignored", reason: "the event is not about an approval action" };
    }
    return { kind: "approval-state-change", event: event.data };
  }
  return { kind: "invalid", reason: "neither an approval notification nor a CodePipeline event" };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
