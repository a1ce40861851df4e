import type { Logger } from "probot";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { Channel, PendingApproval, Verdict } from "./approval.js";
import type { Quorum, Resolution } from "./check-run-record.schema.js";
import type { CheckRunSnapshot, TrackedApproval } from "./check-run-record.js";
import type { DecisionGuard } from "./decision-guard.js";
import type { RefusalBudget } from "./refusal-budget.js";

/**
 * The decision path's vocabulary: what a channel asks (DecisionRequest), what the policy answers
 * (Authorization), what the path needs (DecisionDeps) and what it returns (DecisionOutcome).
 * Shared by decide-approval.ts and the steps it runs, so none of them imports another for types.
 */

export interface Actor {
  /** Shown, never counted: a login can be renamed at any time. */
  login: string;
  /** The account (webhook `sender.id`), which survives renames: votes are counted by it. */
  id: number;
  /** GitHub Apps and machine accounts: they never decide. */
  isBot: boolean;
  /** The GitHub App that wrote the comment or review on this person's behalf: it never decides. */
  viaApp?: string | undefined;
}

export interface DecisionRequest {
  repo: RepoRef;
  checkRun: CheckRunSnapshot;
  actor: Actor;
  verdict: Verdict;
  reason?: string | undefined;
  channel: Channel;
  /** `/approve --break-glass <reason>`: approve alone, recorded loudly (docs/controls.md). */
  breakGlass?: boolean | undefined;
  /**
   * The comment or review that asked, when one did (buttons are bound to their run instead): it
   * decides once, and only approvals whose check run existed when it was written.
   */
  source?: CommandSource | undefined;
}

export interface CommandSource {
  kind: "comment" | "review";
  id: number;
  /** The comment's `created_at` or the review's `submitted_at`. */
  writtenAt: string;
}

/**
 * The policy's answer for one request. `quorum` says who may decide, for the check run to show
 * progress and who may still approve.
 */
export type Authorization =
  | { kind: "allowed"; requiredApprovals: number; quorum?: Quorum | undefined }
  | {
      kind: "refused";
      reason: string;
      quorum?: Quorum | undefined;
      /** The actor has no read access to the repository: refusals are rationed (refusal-budget.ts). */
      outsider?: boolean | undefined;
    };

/** The policy's answer for one request; the policy module decides how it is reached. */
export type Authorize = (
  request: DecisionRequest,
  approval: PendingApproval,
) => Promise<Authorization>;

export interface DecisionDeps {
  octokit: GitHubClient;
  pipelines: PipelineGateway;
  authorize: Authorize;
  guard: DecisionGuard;
  log: Logger;
  now?: () => Date;
  /** Ids of audit entries; random by default. */
  newId?: () => string;
  /** How long a quorum's leader may stay silent before the next approval takes over. */
  leaderTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Rations the writes answering outsiders' refusals; none by default (every refusal is written). */
  refusalBudget?: RefusalBudget | undefined;
}

export type DecisionOutcome =
  | { kind: "decided"; verdict: Verdict; deciders: string[]; tracked: TrackedApproval }
  | { kind: "counted"; approvals: string[]; required: number; tracked: TrackedApproval }
  | {
      kind: "refused";
      reason: string;
      tracked: TrackedApproval;
      /** An outsider past their ration: nothing was written, and no reply should be. */
      silent?: boolean | undefined;
    }
  /** A comment or review handled before, or written before the approval existed: nothing new. */
  | { kind: "not-applicable"; reason: string; tracked: TrackedApproval }
  | { kind: "closed"; resolution: Resolution; tracked: TrackedApproval }
  | { kind: "failed"; message: string; tracked: TrackedApproval }
  | { kind: "not-an-approval" };
