import { z } from "zod";
import { channels } from "./approval.js";

/**
 * What a check run remembers about its approval, so that no database is needed and any replica can
 * serve any click: the identity in `external_id`, the rest in a hidden block of `output.text`.
 */
export const approvalIdentitySchema = z.object({
  v: z.literal(1),
  region: z.string().min(1),
  pipelineName: z.string().min(1),
  stageName: z.string().min(1),
  actionName: z.string().min(1),
  executionId: z.string().min(1),
  token: z.string().min(1),
});

export const historyEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  channel: z.enum(channels).or(z.literal("aws")),
  verdict: z.enum(["Approved", "Rejected"]).optional(),
  result: z.enum(["approved", "rejected", "counted", "refused", "failed", "stale"]),
  detail: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const resolutionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pending") }),
  z.object({
    kind: z.literal("decided"),
    status: z.enum(["Approved", "Rejected"]),
    deciders: z.array(z.string()).min(1),
    channel: z.enum(channels),
    reason: z.string().optional(),
    at: z.string(),
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
  }),
  z.object({
    kind: z.literal("gone"),
    what: z.enum(["pipeline", "stage", "action", "execution"]),
    detail: z.string().optional(),
  }),
]);
export type Resolution = z.infer<typeof resolutionSchema>;

export const approvalDetailsSchema = z.object({
  expiresAt: z.string(),
  approvalReviewLink: z.string().optional(),
  externalEntityLink: z.string().optional(),
  customData: z.string().optional(),
});

export const checkRunRecordSchema = z.object({
  v: z.literal(1),
  details: approvalDetailsSchema,
  resolution: resolutionSchema,
  history: z.array(historyEntrySchema),
});
export type CheckRunRecord = z.infer<typeof checkRunRecordSchema>;
