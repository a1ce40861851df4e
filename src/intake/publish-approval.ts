import type { Logger } from "probot";
import type { PendingApproval } from "../approvals/approval.js";
import { checkRunName } from "../approvals/approval.js";
import {
  newRecord,
  readTrackedApproval,
  tokenOfExternalId,
} from "../approvals/check-run-record.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import { createCheckRun, findLatestCheckRun } from "../github/check-runs.js";
import type { InstallationClients } from "../github/installation-clients.js";
import { ensurePullRequestNotices } from "../notices/ensure-notices.js";
import type { NotifyPullRequests } from "../notices/notify-pull-requests.js";

export type PublishOutcome =
  | { kind: "created"; checkRunId: number }
  | { kind: "duplicate"; checkRunId: number }
  | { kind: "not-installed" };

/**
 * Puts one pending approval on one commit as a check run, once: SQS delivers at least once, so an
 * existing check run for the same token means this notification was already handled.
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
  const existing = await findLatestCheckRun(octokit, repo, commit.sha, name, deps.appId);
  if (existing && tokenOfExternalId(existing.external_id) === approval.token) {
    deps.log.info({ checkRunId: existing.id }, "approval already on GitHub (duplicate delivery)");
    // The notice may be what the first delivery did not get to: post it if it is missing.
    const tracked = readTrackedApproval(existing) ?? { approval, record: newRecord(approval) };
    await ensurePullRequestNotices(octokit, repo, existing, tracked, {
      ...noticeOptions,
      fresh: false,
    });
    return { kind: "duplicate", checkRunId: existing.id };
  }
  const tracked = { approval, record: newRecord(approval) };
  // The name is decided here, where the home account is known; updates never change it.
  const view = { ...renderCheckRun(tracked), name };
  const created = await createCheckRun(octokit, repo, commit.sha, view);
  deps.log.info({ checkRunId: created.id }, "approval check run created");
  await ensurePullRequestNotices(octokit, repo, created, tracked, {
    ...noticeOptions,
    fresh: true,
  });
  return { kind: "created", checkRunId: created.id };
}
