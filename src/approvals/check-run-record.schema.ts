import { z } from "zod";
import { channels } from "./approval.js";
import { releaseChangesSchema } from "./release-changes.schema.js";

/** An AWS account id, as events, ARNs and approval identities carry it: exactly 12 digits. */
export const accountIdSchema = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");

/**
 * What a check run remembers about its approval, so that no database is needed and any replica can
 * serve any click: the identity in `external_id`, the rest in a hidden block of `output.text`.
 */
export const approvalIdentitySchema = z.object({
  v: z.literal(1),
  /** Absent in check runs created before accounts were recorded: the bridge's own account. */
  account: accountIdSchema.optional(),
  region: z.string().min(1),
  pipelineName: z.string().min(1),
  stageName: z.string().min(1),
  actionName: z.string().min(1),
  executionId: z.string().min(1),
  token: z.string().min(1),
});

export const resolutionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pending") }),
  z.object({
    kind: z.literal("decided"),
    status: z.enum(["Approved", "Rejected"]),
    deciders: z.array(z.string()).min(1),
    channel: z.enum(channels),
    /** Each approver and the channel they used, when a quorum decided. */
    votes: z
      .array(z.object({ login: z.string(), channel: z.enum(channels), id: z.int().optional() }))
      .optional(),
    reason: z.string().optional(),
    at: z.string(),
    /** Approved alone through break-glass (docs/controls.md); `reason` is the one given. */
    breakGlass: z.literal(true).optional(),
  }),
  z.object({
    kind: z.literal("decided-outside"),
    status: z.enum(["Approved", "Rejected"]),
    /** Decided through GitHub by another replica or click: the summary says who. */
    viaGitHub: z.boolean().default(false),
    by: z.string().optional(),
    summary: z.string().optional(),
    at: z.string().optional(),
  }),
  z.object({ kind: z.literal("expired"), at: z.string().optional() }),
  z.object({
    kind: z.literal("superseded"),
    byExecutionId: z.string().optional(),
    at: z.string().optional(),
    /**
     * Closed as a duplicate: another check run of this app carries the same approval on the same
     * commit and is the live one (the lowest id wins; see docs/design.md, "One live check run").
     */
    duplicateOf: z.object({ id: z.int(), url: z.string().optional() }).optional(),
  }),
  z.object({
    kind: z.literal("gone"),
    what: z.enum(["pipeline", "stage", "action", "execution"]),
    detail: z.string().optional(),
  }),
]);
/**
 * One attempt or event, in the check run's audit trail and, as the same JSON, in the annotation
 * appended with it (the append-only log the quorum is counted from). `id` tells entries apart
 * across replicas; `required` is the quorum the policy asked for when the vote was counted;
 * `closes` is the resolution an entry set, so any reader can rebuild it from the log.
 */
export const historyEntrySchema = z.object({
  id: z.string().optional(),
  at: z.string(),
  /** The login at the time, shown only; `actorId` (the account) is what votes are counted by. */
  actor: z.string(),
  /** The account's numeric id (webhook `sender.id`); absent on entries written before it was kept. */
  actorId: z.int().optional(),
  /** The comment or review that asked (`comment-123`, `review-456`): one source decides once. */
  source: z.string().optional(),
  channel: z.enum(channels).or(z.literal("aws")),
  verdict: z.enum(["Approved", "Rejected"]).optional(),
  /** `held` and `unheld` are the hold's log (docs/controls.md); the last one decides. */
  result: z.enum([
    "approved",
    "rejected",
    "counted",
    "refused",
    "failed",
    "stale",
    "held",
    "unheld",
  ]),
  detail: z.string().optional(),
  required: z.int().min(1).optional(),
  closes: resolutionSchema.optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type Resolution = z.infer<typeof resolutionSchema>;

export const approvalDetailsSchema = z.object({
  expiresAt: z.string(),
  approvalReviewLink: z.string().optional(),
  externalEntityLink: z.string().optional(),
  customData: z.string().optional(),
  accountAlias: z.string().optional(),
  /** The execution's GitHub source commits, when it has several (each policy must allow). */
  sources: z.array(z.object({ owner: z.string(), repo: z.string(), sha: z.string() })).optional(),
});

/**
 * Who may decide, as the policy said at the last attempt: shown while the approval is pending
 * ("1 of 2 approvals: @alice; still needed: 1 more from acme/release").
 */
export const quorumSchema = z.object({
  required: z.int().min(1),
  minPermission: z.string(),
  users: z.array(z.string()).optional(),
  teams: z.array(z.string()).optional(),
  excludesAuthors: z.boolean(),
  /** The channels that may decide, shown from intake on (absent in records written before). */
  channels: z.array(z.enum(channels)).optional(),
  /** Whether a rejection needs a reason. */
  reasonOnReject: z.boolean().optional(),
});
export type Quorum = z.infer<typeof quorumSchema>;

/**
 * Why the check run could not say who may decide when it was created: the policy file was invalid
 * (its problems, clipped) or could not be read. Every decision is refused while that lasts; the
 * first decision that reads a valid policy records its quorum instead.
 */
export const policyProblemSchema = z.object({
  kind: z.enum(["invalid", "unreadable"]),
  files: z.array(z.string()),
  problems: z.array(z.string()),
});
export type PolicyProblem = z.infer<typeof policyProblemSchema>;

export const checkRunRecordSchema = z.object({
  v: z.literal(1),
  details: approvalDetailsSchema,
  resolution: resolutionSchema,
  history: z.array(historyEntrySchema),
  /**
   * Entries left out of `history` to keep the check run within GitHub's 65,535 characters
   * (compact-record.ts): refusals and failed attempts beyond the latest few, repeated votes of an
   * account already counted. The annotation log still holds every one of them.
   */
  omitted: z.object({ refused: z.int(), failed: z.int(), repeated: z.int() }).optional(),
  quorum: quorumSchema.optional(),
  policyProblem: policyProblemSchema.optional(),
  /** What the approval would ship, looked up at intake (release-changes.schema.ts). */
  changes: releaseChangesSchema.optional(),
});
export type CheckRunRecord = z.infer<typeof checkRunRecordSchema>;
