import {
  readTrackedApproval,
  type CheckRunSnapshot,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
import { listAppCheckRuns } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";

/** One approval as a command finds it: the check run that carries it, and what it says. */
export interface ApprovalOnCommit {
  checkRun: CheckRunSnapshot;
  tracked: TrackedApproval;
}

export interface ApprovalsOnCommits {
  pending: ApprovalOnCommit[];
  /** The most recently closed approval, for a "nothing pending" answer. */
  lastClosed?: ApprovalOnCommit | undefined;
}

/**
 * The approvals this app tracks on some commits, one list call per commit, run concurrently.
 * The check runs are the state: what they say is pending is what a command may decide.
 */
export async function findApprovalsOnCommits(
  octokit: GitHubClient,
  repo: RepoRef,
  shas: readonly string[],
  appId: number,
): Promise<ApprovalsOnCommits> {
  const lists = await Promise.all(shas.map((sha) => listAppCheckRuns(octokit, repo, sha, appId)));
  const seen = new Set<string>();
  const found: ApprovalOnCommit[] = [];
  // Lowest id first: of an approval's runs on a commit, the lowest is the live one (duplicates
  // are closed pointing to it; intake/publish-approval.ts).
  for (const checkRun of lists.flat().sort((a, b) => a.id - b.id)) {
    const tracked = readTrackedApproval(checkRun);
    // The same approval is shown once, even if it somehow sits on two of these commits.
    if (!tracked || seen.has(tracked.approval.token)) continue;
    seen.add(tracked.approval.token);
    found.push({ checkRun, tracked });
  }
  const pending = found.filter((item) => item.tracked.record.resolution.kind === "pending");
  const closed = found
    .filter((item) => item.tracked.record.resolution.kind !== "pending")
    .sort((a, b) => closedAt(b).localeCompare(closedAt(a)));
  return { pending, lastClosed: closed[0] };
}

function closedAt({ tracked }: ApprovalOnCommit): string {
  const resolution = tracked.record.resolution;
  const at = "at" in resolution ? resolution.at : undefined;
  return at ?? tracked.record.history.at(-1)?.at ?? "";
}
