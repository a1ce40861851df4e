import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { voteAnnotation } from "../../src/approvals/vote-log.js";
import { escapeMarkdown } from "../../src/presentation/escape-markdown.js";
import { sha } from "../fixtures/codepipeline.js";
import { approvalCheckRun, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { nockInstallationToken, type JsonBody } from "../helpers/github-api.js";
import {
  nockListIssueComments,
  nockPullRequestsForCommit,
  nockUpdateIssueComment,
} from "../helpers/github-conversation-api.js";
import { createTestProbot } from "../helpers/probot.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { notice, openPullRequest } from "../channels/command-scenarios.js";

/**
 * Shared pieces of the approval-control tests (docs/controls.md): one replica of the real app
 * (real policy, real decision path), check runs whose record and annotation log agree, and the
 * notice edit a hold makes.
 */
export function replica({ at = "2026-11-28T12:00:00Z", token = true } = {}) {
  if (token) nockInstallationToken();
  const metrics = createMetrics({ defaultMetrics: false });
  const { probot } = createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date(at),
    metrics,
  });
  return { probot, metrics };
}

export function heldEntry(by = "carol", reason = "the canary alarms fired"): HistoryEntry {
  return {
    id: `hold-${by}`,
    at: "2026-11-28T11:50:00.000Z",
    actor: by,
    channel: "pr_comments",
    result: "held",
    detail: reason,
  };
}

/**
 * The approval check run after `entries`, as GitHub sends it (its annotations counted), and the
 * annotations those entries appended, to seed the fake log with.
 */
export function checkRunAfter(entries: HistoryEntry[], { annotations = entries.length } = {}) {
  const checkRun = approvalCheckRun({
    approval: pendingApproval,
    record: { ...newRecord(pendingApproval), history: entries },
  });
  return {
    checkRun: { ...checkRun, output: { ...checkRun.output, annotations_count: annotations } },
    seed: entries.map(voteAnnotation),
  };
}

/** A hold or unhold edits the notice of PR #42 (check run 9001). */
export function nockNoticeEdit(edits: JsonBody[]) {
  return [
    nockPullRequestsForCommit(sha, openPullRequest),
    nockListIssueComments(42, [notice]),
    nockUpdateIssueComment(notice.id, edits),
  ];
}

export function outputOf(body: JsonBody | undefined): JsonBody {
  return (body?.output ?? {}) as JsonBody;
}

/** The JSON entries a PATCH appended to the annotation log. */
export function appendedEntries(body: JsonBody | undefined): HistoryEntry[] {
  const annotations = (outputOf(body).annotations as JsonBody[] | undefined) ?? [];
  return annotations.map(
    (annotation) =>
      JSON.parse(
        String(annotation.raw_details).replace("codepipeline-approvals:entry ", ""),
      ) as HistoryEntry,
  );
}

/** Text as the replies and the check run show it (escaped). */
export const shown = escapeMarkdown;
