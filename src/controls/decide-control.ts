import type { Logger } from "probot";
import type { Channel } from "../approvals/approval.js";
import type { CheckRunSnapshot } from "../approvals/check-run-record.js";
import type { Actor } from "../approvals/decision-types.js";
import type { ChannelDeps } from "../channels/channel-deps.js";
import { chooseTarget } from "../channels/choose-target.js";
import type {
  ApprovalOnCommit,
  ApprovalsOnCommits,
} from "../channels/find-approvals-on-commits.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { ControlAsk, ControlOutcome } from "./control-types.js";

export type ControlResult =
  | { kind: "control"; ask: ControlAsk; outcome: ControlOutcome; approval: ApprovalOnCommit }
  | { kind: "nothing-pending"; ask: ControlAsk; lastClosed?: ApprovalOnCommit | undefined }
  | { kind: "ambiguous"; ask: ControlAsk; candidates: ApprovalOnCommit[] }
  | { kind: "no-match"; ask: ControlAsk; target: string; candidates: ApprovalOnCommit[] };

/**
 * Picks the approval a `/hold` or `/unhold` means, exactly as `/approve` picks one (a bare command
 * only when one approval is pending), and hands it to the control path.
 */
export async function decideControl(
  approvals: ApprovalsOnCommits,
  ask: ControlAsk,
  control: (checkRun: CheckRunSnapshot, ask: ControlAsk) => Promise<ControlOutcome>,
): Promise<ControlResult> {
  const choice = chooseTarget(approvals.pending, ask.target);
  switch (choice.kind) {
    case "none-pending":
      return { kind: "nothing-pending", ask, lastClosed: approvals.lastClosed };
    case "ambiguous":
      return { kind: "ambiguous", ask, candidates: choice.candidates };
    case "no-match":
      return { kind: "no-match", ask, target: choice.target, candidates: choice.candidates };
    case "one":
      return {
        kind: "control",
        ask,
        outcome: await control(choice.chosen.checkRun, ask),
        approval: choice.chosen,
      };
  }
}

/** The control path, bound to who asked, where, and through which channel. */
export function controlThrough(
  deps: ChannelDeps,
  octokit: GitHubClient,
  asker: { repo: RepoRef; actor: Actor; channel: Channel },
  log: Logger,
) {
  return (checkRun: CheckRunSnapshot, ask: ControlAsk) =>
    deps.control(octokit, { ...asker, checkRun, control: ask.control, reason: ask.reason }, log);
}
