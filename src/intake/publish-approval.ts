import type { Logger } from "probot";
import { checkRunName, type PendingApproval } from "../approvals/approval.js";
import { newRecord, readTrackedApproval } from "../approvals/check-run-record.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import { createCheckRun } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { InstallationClients } from "../github/installation-clients.js";
import { ensurePullRequestNotices } from "../notices/ensure-notices.js";
import type { NotifyPullRequests } from "../notices/notify-pull-requests.js";
import { closeDuplicates } from "../lifecycle/close-duplicates.js";
import { addChangesLater } from "./add-changes-later.js";
import { findApprovalRuns, liveFirst } from "./find-approval-runs.js";
import type { CheckRunPreparation } from "./prepare-check-run.js";

export type PublishOutcome =
  | { kind: "created"; checkRunId: number }
  | { kind: "duplicate"; checkRunId: number }
  | { kind: "not-installed" };

/**
 * Puts one pending approval on one commit as a check run, once, whatever the delivery pattern
 * (docs/design.md, "One live check run"). SQS delivers at least once, and two replicas can take
 * the same notification at the same moment: listing and then creating is not atomic, so after
 * creating, the approval's runs are listed again and the lowest id is the live one. A run that
 * is not live is closed as a duplicate that links to the live one (by whoever lists it first:
 * its maker, the winner, or a later actor; lifecycle/close-duplicates.ts argues why that
 * converges), and posts no notice. Every replica reads the same ids, so one run keeps the buttons.
 */
export async function publishApproval(
  approval: PendingApproval,
  commit: SourceCommit,
  deps: {
    github: InstallationClients;
    log: Logger;
    notifyPullRequests?: NotifyPullRequests;
    appId: number;
    /** The bridge's own AWS account: another account's approval is named with its account. */
    home?: string | undefined;
    /** Who may decide and what changed, read before the check run is created (issue 16). */
    prepare?: (octokit: GitHubClient, repo: RepoRef) => Promise<CheckRunPreparation>;
  },
): Promise<PublishOutcome> {
  const repo = { owner: commit.owner, repo: commit.repo };
  const octokit = await deps.github.forRepository(repo);
  if (!octokit) {
    deps.log.warn(
      { repository: `${commit.owner}/${commit.repo}` },
      "the GitHub App is not installed on this repository; install it there to show the approval",
    );
    return { kind: "not-installed" };
  }
  const noticeOptions = {
    log: deps.log,
    appId: deps.appId,
    ...(deps.notifyPullRequests ? { notifyPullRequests: deps.notifyPullRequests } : {}),
  };
  const name = checkRunName(approval, deps.home);
  const existing = await findApprovalRuns(
    octokit,
    repo,
    commit.sha,
    approval,
    deps.appId,
    deps.home,
  );
  const [live, ...others] = existing;
  if (live) {
    deps.log.info({ checkRunId: live.id }, "approval already on GitHub (duplicate delivery)");
    // A replica that created a duplicate may have stopped before closing it.
    await closeDuplicates(octokit, repo, { live, others }, deps.log);
    // The notice may be what the first delivery did not get to: post it if it is missing.
    const tracked = readTrackedApproval(live) ?? { approval, record: newRecord(approval) };
    await ensurePullRequestNotices(octokit, repo, live, tracked, {
      ...noticeOptions,
      fresh: false,
    });
    return { kind: "duplicate", checkRunId: live.id };
  }
  const prepared = await deps.prepare?.(octokit, repo);
  const tracked = { approval, record: { ...newRecord(approval), ...prepared?.record } };
  // The name is decided here, where the home account is known; updates never change it.
  const view = { ...renderCheckRun(tracked), name };
  const created = await createCheckRun(octokit, repo, commit.sha, view);
  deps.log.info({ checkRunId: created.id }, "approval check run created");
  // The one extra read that makes the choice deterministic across replicas. Whoever wins closes
  // every other live run it sees: a loser's own, or one a loser made and died before closing.
  const [winner = created, ...losers] = liveFirst([
    created,
    ...(await findApprovalRuns(octokit, repo, commit.sha, approval, deps.appId, deps.home)),
  ]);
  await closeDuplicates(octokit, repo, { live: winner, others: losers }, deps.log);
  if (winner.id !== created.id) return { kind: "duplicate", checkRunId: winner.id };
  await ensurePullRequestNotices(octokit, repo, created, tracked, {
    ...noticeOptions,
    fresh: true,
  });
  if (prepared?.later) await addChangesLater(octokit, repo, created.id, prepared.later, deps.log);
  return { kind: "created", checkRunId: created.id };
}
