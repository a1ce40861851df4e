import { randomUUID } from "node:crypto";
import type { Logger } from "probot";
import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import {
  readTrackedApproval,
  type CheckRunSnapshot,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
import { voteAnnotation } from "../approvals/vote-log.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { renderCheckRun } from "../presentation/render-check-run.js";

/** One approval's runs on one commit, as a lister saw them: the live one and the rest. */
export interface ApprovalRuns {
  live: CheckRunSnapshot;
  others: CheckRunSnapshot[];
}

/**
 * Groups check runs of one commit by approval (token): of each group, the lowest id is the live
 * one (docs/design.md, "One live check run"). Runs with no readable record are left out.
 */
export function groupByApproval(runs: readonly CheckRunSnapshot[]): ApprovalRuns[] {
  const groups = new Map<string, CheckRunSnapshot[]>();
  for (const run of [...new Map(runs.map((r) => [r.id, r])).values()]) {
    const token = readTrackedApproval(run)?.approval.token;
    if (!token) continue;
    groups.set(token, [...(groups.get(token) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const [live, ...others] = group.sort((a, b) => a.id - b.id);
    return { live: live!, others };
  });
}

/**
 * Closes the runs that are not `live` and still offer buttons, as duplicates linking to it; returns
 * the ids it closed. One that was decided meanwhile (a click in the moment it had buttons) keeps
 * its record: CodePipeline took that answer, and the live run learns of it from the pipeline's
 * state-change event.
 *
 * Why this converges to one live run, even when a replica dies between creating a duplicate and
 * closing it: the live run is a fact every lister reads the same way (the lowest id of the
 * approval's runs on the commit; ids grow with creation, so no later run can take its place), and
 * every actor that lists the approval's runs calls this on what it saw: the publication's listing
 * after its create (the winner closes the later runs it sees, a loser its own), a duplicate
 * delivery's listing, the recheck after publishing, and every state-change event
 * (look-at-check-runs.ts). A replica that dies after its create did not delete its message, and
 * SQS promises to delete a message only for its latest receipt handle (an older handle's delete
 * "might not" take effect): if that replica was the last to receive it, the message comes back and
 * its redelivery lists and closes the orphan; if another replica received it later and finished,
 * that replica's listings close the orphan when they came after its create. Left open: an orphan
 * whose message another replica's delivery did delete (it received the message later, or SQS
 * honoured an older handle) and that was created after that delivery's last listing. It keeps the
 * buttons (a click there still decides the one approval; CodePipeline takes one answer) until the
 * next lister: at the latest the state-change event when the approval is decided, expires or is
 * superseded. Closing is idempotent (the same view again) and never touches the lowest id, so
 * concurrent closers cannot undo each other.
 */
export async function closeDuplicates(
  octokit: GitHubClient,
  repo: RepoRef,
  { live, others }: ApprovalRuns,
  log: Logger,
): Promise<number[]> {
  const closedIds: number[] = [];
  for (const other of others) {
    const tracked = readTrackedApproval(other);
    if (!tracked || tracked.record.resolution.kind !== "pending") continue;
    const resolution: Resolution = {
      kind: "superseded",
      duplicateOf: { id: live.id, ...(live.html_url ? { url: live.html_url } : {}) },
    };
    // In the annotation log too, like every closing: a stale writer that repaints this run pending
    // finds it there and closes it again (approvals/decision-step.ts).
    const entry: HistoryEntry = {
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: "codepipeline-approvals",
      channel: "aws",
      result: "stale",
      detail: `duplicate of check run ${live.id}`,
      closes: resolution,
    };
    const closed: TrackedApproval = {
      approval: tracked.approval,
      record: { ...tracked.record, resolution, history: [...tracked.record.history, entry] },
    };
    log.info({ checkRunId: other.id, liveCheckRunId: live.id }, "closing a duplicate check run");
    const view = renderCheckRun(closed);
    await updateCheckRun(octokit, repo, other.id, {
      ...view,
      output: { ...view.output, annotations: [voteAnnotation(entry)] },
    });
    closedIds.push(other.id);
  }
  return closedIds;
}
