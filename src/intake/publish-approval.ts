import type { Logger } from "probot";
import type { PendingApproval } from "../approvals/approval.js";
import { checkRunName } from "../approvals/approval.js";
import { newRecord, tokenOfExternalId } from "../approvals/check-run-record.js";
import { renderCheckRun } from "../approvals/render-check-run.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import { createCheckRun, findLatestCheckRun } from "../github/check-runs.js";
import type { InstallationClients } from "../github/installation-clients.js";

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
  deps: { github: InstallationClients; log: Logger },
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
  const existing = await findLatestCheckRun(octokit, repo, commit.sha, checkRunName(approval));
  if (existing && tokenOfExternalId(existing.external_id) === approval.token) {
    deps.log.info({ checkRunId: existing.id }, "approval already on GitHub (duplicate delivery)");
    return { kind: "duplicate", checkRunId: existing.id };
  }
  const view = renderCheckRun({ approval, record: newRecord(approval) });
  const created = await createCheckRun(octokit, repo, commit.sha, view);
  deps.log.info({ checkRunId: created.id }, "approval check run created");
  return { kind: "created", checkRunId: created.id };
}
