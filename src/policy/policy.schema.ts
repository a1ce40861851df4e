import { z } from "zod";
import { channels } from "../approvals/approval.js";
import { isValidPattern } from "./match-address.js";
import { parseDuration } from "./parse-duration.js";

/**
 * `.github/codepipeline-approvals.yml`: who may decide which approval. Its key names are part of
 * the app's public interface. Objects are strict: a misspelt key (`prevent_self_aproval`) would
 * otherwise be ignored in silence and weaken the policy, so it is an error instead.
 */
export const permissions = ["read", "triage", "write", "maintain", "admin"] as const;

const approverSchema = z
  .string()
  .trim()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]{1,100})?$/, {
    message: 'expected a GitHub login ("alice") or an organization team ("acme/release")',
  })
  .transform((text) => text.replace(/^@/, ""));

/** Approvals expire after 7 days at most: a longer lead time could never be waited for. */
const maxRemindBeforeMs = 7 * 24 * 60 * 60_000;

const durationSchema = z
  .string({ error: 'expected a duration such as "30m", "4h", "1d" or "1d12h"' })
  .refine((text) => parseDuration(text) !== undefined, {
    message:
      'expected a duration such as "30m", "4h", "1d" or "1d12h": whole days (d), hours (h) and minutes (m), in that order, more than zero',
  })
  .refine((text) => (parseDuration(text) ?? 0) <= maxRemindBeforeMs, {
    message: "expected at most 7d: an approval expires 7 days after it starts",
  });

const settings = {
  min_permission: z.enum(permissions),
  required_approvals: z.int().min(1).max(20),
  prevent_self_approval: z.boolean(),
  /** With prevent_self_approval: what to do with a change nobody can be identified behind. */
  unattributed_changes: z.enum(["allow", "refuse"]),
  require_reason_on_reject: z.boolean(),
  channels: z.array(z.enum(channels)),
  notify_pr: z.boolean(),
  approvers: z.array(approverSchema).min(1),
  // The approval controls (src/controls, docs/controls.md).
  hold_min_permission: z.enum(permissions),
  /** Users and teams who may `/approve --break-glass <reason>`; empty turns it off. */
  break_glass: z.array(approverSchema),
  /** How long before the approval expires to remind the approvers (src/reminders); unset: never. */
  remind_before: durationSchema,
};

export const policyDefaultsSchema = z.strictObject(settings).partial();

export const policyRuleSchema = z.strictObject({
  match: z.string().refine(isValidPattern, {
    message:
      'expected "pipeline/stage/action": three names separated by "/", each may use the globs * and ?',
  }),
  ...z.strictObject(settings).partial().shape,
});

export const policyFileSchema = z.strictObject({
  defaults: policyDefaultsSchema.optional(),
  rules: z.array(policyRuleSchema).optional(),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type PolicyRuleInput = z.infer<typeof policyRuleSchema>;
export type PolicySettingsInput = z.infer<typeof policyDefaultsSchema>;
