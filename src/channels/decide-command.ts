import type { Logger } from "probot";
import type { Channel, Verdict } from "../approvals/approval.js";
import type { CheckRunSnapshot } from "../approvals/check-run-record.js";
import type { Actor, CommandSource, DecisionOutcome } from "../approvals/decision-types.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { ChannelDeps } from "./channel-deps.js";
import { chooseTarget } from "./choose-target.js";
import type { ApprovalOnCommit, ApprovalsOnCommits } from "./find-approvals-on-commits.js";

/** What a person asked for, from a command or a review. */
export interface DecisionAsk {
  verdict: Verdict;
  target?: string | undefined;
  reason?: string | undefined;
  /** `/approve --break-glass <reason>`: docs/controls.md. */
  breakGlass?: boolean | undefined;
}

export type CommandResult =
  | { kind: "decision"; outcome: DecisionOutcome; approval: ApprovalOnCommit }
  | { kind: "nothing-pending"; lastClosed?: ApprovalOnCommit | undefined }
  | { kind: "ambiguous"; ask: DecisionAsk; candidates: ApprovalOnCommit[] }
  | { kind: "no-match"; ask: DecisionAsk; target: string; candidates: ApprovalOnCommit[] };

/**
 * Picks the approval an ask means and hands it to the one decision path (`decide`), or says why
 * there is nothing to hand over. Every conversation channel goes through here.
 */
export async function decideCommand(
  approvals: ApprovalsOnCommits,
  ask: DecisionAsk,
  decide: (checkRun: CheckRunSnapshot, ask: DecisionAsk) => Promise<DecisionOutcome>,
): Promise<CommandResult> {
  const choice = chooseTarget(approvals.pending, ask.target);
  switch (choice.kind) {
    case "none-pending":
      return { kind: "nothing-pending", lastClosed: approvals.lastClosed };
    case "ambiguous":
      return { kind: "ambiguous", ask, candidates: choice.candidates };
    case "no-match":
      return { kind: "no-match", ask, target: choice.target, candidates: choice.candidates };
    case "one": {
      const outcome = await decide(choice.chosen.checkRun, ask);
      return { kind: "decision", outcome, approval: choice.chosen };
    }
  }
}

/** Who asked, where, through which channel, and (for a comment or review) by what. */
export interface Asker {
  repo: RepoRef;
  actor: Actor;
  channel: Channel;
  source?: CommandSource | undefined;
}

/** The decision path, bound to who asked, where, and through which channel. */
export function decideThrough(deps: ChannelDeps, octokit: GitHubClient, asker: Asker, log: Logger) {
  return (checkRun: CheckRunSnapshot, ask: DecisionAsk) =>
    deps.decide(
      octokit,
      { ...asker, checkRun, verdict: ask.verdict, reason: ask.reason, breakGlass: ask.breakGlass },
      log,
    );
}
