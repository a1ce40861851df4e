import nock from "nock";
import type { HistoryEntry, Resolution } from "../../src/approvals/check-run-record.schema.js";
import { newRecord, type TrackedApproval } from "../../src/approvals/check-run-record.js";
import {
  approvalStateChangeEventSchema,
  type ApprovalStateChangeEvent,
} from "../../src/intake/queue-message.schema.js";
import { executionId, pipelineName, sha } from "../fixtures/codepipeline.js";
import { approvalCheckRun, pendingApproval } from "../fixtures/github.js";
import type { CodePipelineOperation } from "../helpers/codepipeline-api.js";
import { githubApi, repo, type JsonBody } from "../helpers/github-api.js";

/**
 * An EventBridge "CodePipeline Action Execution State Change" event for the Manual approval of the
 * test pipeline, as the rule delivers it to SQS (the bare event, no envelope).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 */
export function stateChangeEvent(
  state: string,
  {
    execution = executionId,
    time = "2026-11-30T09:15:00Z",
    category = "Approval",
    detailType = "CodePipeline Action Execution State Change",
  } = {},
) {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": detailType,
    source: "aws.codepipeline",
    account: "123456789012",
    time,
    region: "us-east-1",
    resources: [`arn:aws:codepipeline:us-east-1:123456789012:${pipelineName}`],
    detail: {
      pipeline: pipelineName,
      "execution-id": execution,
      stage: "Approval",
      action: "ManualApproval",
      state,
      region: "us-east-1",
      type: { owner: "AWS", provider: "Manual", category, version: "1" },
      version: 5.0,
    },
  };
}

export function parsedStateChange(
  state: string,
  options?: Parameters<typeof stateChangeEvent>[1],
): ApprovalStateChangeEvent {
  return approvalStateChangeEventSchema.parse(stateChangeEvent(state, options));
}

/** The approval check run of an execution, pending unless a resolution is given. */
export function checkRunOf({
  id = 9001,
  execution = executionId,
  resolution,
  history = [],
}: { id?: number; execution?: string; resolution?: Resolution; history?: HistoryEntry[] } = {}) {
  const approval = { ...pendingApproval, executionId: execution };
  const record = newRecord(approval);
  const tracked: TrackedApproval = {
    approval,
    record: { ...record, ...(resolution ? { resolution } : {}), history },
  };
  return approvalCheckRun(tracked, id);
}

/** A decision made through GitHub's button, as decideApproval records it. */
export const decidedOnGitHub: Resolution = {
  kind: "decided",
  status: "Approved",
  deciders: ["alice"],
  channel: "buttons",
  reason: "ship it",
  at: "2026-11-30T09:14:00.000Z",
};

/** The check runs of a commit; the query is captured to check what was asked. */
export function nockCheckRunsOf(
  checkRuns: unknown[],
  queries: Record<string, string>[] = [],
  commit = sha,
) {
  return githubApi()
    .get(`/repos/${repo.owner}/${repo.repo}/commits/${commit}/check-runs`)
    .query((query) => {
      queries.push(query as Record<string, string>);
      return true;
    })
    .reply(200, { total_count: checkRuns.length, check_runs: checkRuns });
}

/** One CodePipeline operation whose request body satisfies `match` (for concurrent messages). */
export function nockCodePipelineWhen(
  operation: CodePipelineOperation,
  match: (body: JsonBody) => boolean,
  reply: unknown,
) {
  return nock("https://codepipeline.us-east-1.amazonaws.com")
    .post("/", (body: JsonBody) => match(body))
    .matchHeader("x-amz-target", `CodePipeline_20150709.${operation}`)
    .reply(200, reply as nock.Body, { "content-type": "application/x-amz-json-1.1" });
}

type CheckRunFixture = ReturnType<typeof checkRunOf>;

/**
 * GitHub's check runs of one commit, kept in memory: listings return what the updates left, so a
 * duplicate or a redelivery sees what the first delivery wrote. Every update is recorded.
 */
export function fakeCheckRunsOf(initial: CheckRunFixture[], commit = sha) {
  const runs = new Map(initial.map((run) => [run.id, run]));
  const updates: { id: number; body: JsonBody }[] = [];
  const list = githubApi()
    .persist()
    .get(`/repos/${repo.owner}/${repo.repo}/commits/${commit}/check-runs`)
    .query(true)
    .reply(200, () => ({ total_count: runs.size, check_runs: [...runs.values()] }));
  const patch = githubApi()
    .persist()
    .patch(/^\/repos\/octo-org\/service\/check-runs\/\d+$/)
    .reply(200, (uri, body) => {
      const id = Number(uri.split("/").pop());
      const update = body as JsonBody;
      updates.push({ id, body: update });
      const before = runs.get(id);
      if (before) {
        runs.set(id, {
          ...before,
          conclusion: update.conclusion as CheckRunFixture["conclusion"],
          output: { ...before.output, ...(update.output as CheckRunFixture["output"]) },
        });
      }
      return { id, ...update };
    });
  return { runs, updates, scopes: [list, patch] };
}
