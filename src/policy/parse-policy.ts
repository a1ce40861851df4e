import type { z } from "zod";
import {
  policyFileSchema,
  type PolicyRuleInput,
  type PolicySettingsInput,
} from "./policy.schema.js";

/** The path Probot's config reads, in the repository and in the owner's `.github` repository. */
export const policyPath = ".github/codepipeline-approvals.yml";

/** A policy file that validated, with where it came from. */
export interface Policy {
  defaults: PolicySettingsInput;
  rules: PolicyRuleInput[];
  /** `owner/repo:path` of each file merged into it, nearest first; empty when none exists. */
  files: string[];
}

export type PolicyLoad =
  { kind: "valid"; policy: Policy } | { kind: "invalid"; problems: string[]; files: string[] };

/** Validates merged configuration; every zod issue is kept, as `path: message`. */
export function parsePolicy(raw: unknown, files: string[] = []): PolicyLoad {
  const parsed = policyFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return { kind: "invalid", problems: parsed.error.issues.map(formatIssue), files };
  }
  return {
    kind: "valid",
    policy: { defaults: parsed.data.defaults ?? {}, rules: parsed.data.rules ?? [], files },
  };
}

/** "rules.0.required_approvals: Too small: expected number to be >=1" */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** One line for the audit trail and for replies to commands. */
export function describeInvalidPolicy(load: { problems: string[]; files: string[] }): string {
  const where = load.files.length > 0 ? ` (in ${load.files.join(", ")})` : "";
  return `the policy file is invalid: ${load.problems.join("; ")}${where}`;
}
