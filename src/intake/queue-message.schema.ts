import { z } from "zod";
import { accountIdSchema } from "../approvals/check-run-record.schema.js";

/** CodePipeline names: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutApprovalResult.html */
export const awsNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9.@\-_]+$/);

/** The pattern PutApprovalResult accepts for `token`. */
export const approvalTokenSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    "must be an approval token",
  );

export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region such as us-east-1");

/**
 * `expires` has minute precision without seconds ("2016-07-07T20:22Z"), which z.iso.datetime()
 * rejects; Date.parse reads it correctly.
 */
const looseDateSchema = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be a date such as 2026-12-05T11:09Z")
  .transform((value) => new Date(Date.parse(value)).toISOString());

/** https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-json-format.html */
export const approvalNotificationSchema = z.object({
  region: regionSchema,
  consoleLink: z.string().max(2048).nullish(),
  approval: z.object({
    pipelineName: awsNameSchema,
    stageName: awsNameSchema,
    actionName: awsNameSchema,
    token: approvalTokenSchema,
    expires: looseDateSchema,
    // Real payloads carry null, or leave the key out, where the action sets no value.
    externalEntityLink: z.string().max(2048).nullish(),
    approvalReviewLink: z.string().max(2048).nullish(),
    customData: z.string().max(4096).nullish(),
  }),
});
export type ApprovalNotification = z.infer<typeof approvalNotificationSchema>;

/**
 * An SNS topic ARN, `arn:<partition>:sns:<region>:<account>:<name>`: the notification itself names
 * no account, the topic it was published to does.
 */
export const topicArnSchema = z
  .string()
  .regex(/^arn:aws(?:-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(?:\.fifo)?$/);

/** SNS → SQS without raw message delivery: the approval JSON is a string inside `Message`. */
export const snsNotificationSchema = z.object({
  Type: z.literal("Notification"),
  MessageId: z.string().optional(),
  /**
   * SNS always sets it, and it is where the approval's account is read: an envelope without it is
   * malformed, never taken for the bridge's own account.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
   */
  TopicArn: z.string(),
  Message: z.string(),
});

export const snsSubscriptionConfirmationSchema = z.object({
  Type: z.enum(["SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  TopicArn: z.string(),
  SubscribeURL: z.string().optional(),
});

/**
 * An EventBridge "CodePipeline Action Execution State Change" event, delivered to SQS as the bare
 * event. https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 */
export const approvalStateChangeEventSchema = z.object({
  "detail-type": z.literal("CodePipeline Action Execution State Change"),
  source: z.literal("aws.codepipeline"),
  time: z.string().optional(),
  /**
   * The pipeline's account: every EventBridge event has one, and a rule forwarding to another
   * account's bus keeps it. https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
   */
  account: accountIdSchema.optional(),
  region: regionSchema,
  detail: z.object({
    pipeline: awsNameSchema,
    "execution-id": z.string().min(1).max(200),
    stage: awsNameSchema,
    action: awsNameSchema,
    state: z.string().min(1).max(40),
    type: z.object({ category: z.string(), provider: z.string().optional() }).passthrough(),
  }),
});
export type ApprovalStateChangeEvent = z.infer<typeof approvalStateChangeEventSchema>;

/** What a reminder message says it is: SNS envelopes have `Type`, EventBridge events `source`. */
export const reminderMessageType = "codepipeline-approvals.reminder";

/**
 * The bridge's own timer (src/reminders): sent to its own queue with a delay, re-sent until
 * `dueAt`, then the approval's approvers are reminded once. Everything in it is checked again
 * against CodePipeline and GitHub before anything is posted, so a message someone else put on the
 * queue can at most remind of an approval that is really pending. docs/design.md, "Reminders"
 */
export const reminderMessageSchema = z
  .strictObject({
    type: z.literal(reminderMessageType),
    v: z.literal(1),
    /** When to remind: the approval's expiry minus the policy's `remind_before`. */
    dueAt: z.iso.datetime(),
    approval: z.strictObject({
      account: accountIdSchema.optional(),
      region: regionSchema,
      pipelineName: awsNameSchema,
      stageName: awsNameSchema,
      actionName: awsNameSchema,
      executionId: z.string().min(1).max(200),
      token: approvalTokenSchema,
      expiresAt: z.iso.datetime(),
    }),
    /** The commit whose check run and pull requests the reminder is for. */
    commit: z.strictObject({
      owner: z.string().regex(/^[A-Za-z0-9-]{1,39}$/),
      repo: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
      sha: z.string().regex(/^[0-9a-f]{40}$/),
    }),
  })
  .refine((message) => Date.parse(message.dueAt) < Date.parse(message.approval.expiresAt), {
    message: "a reminder is due before its approval expires",
    path: ["dueAt"],
  });
export type ReminderMessage = z.infer<typeof reminderMessageSchema>;
