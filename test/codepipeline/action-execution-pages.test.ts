import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { ActionExecutionScanLimitError } from "../../src/codepipeline/scan-action-executions.js";
import {
  actionExecutions,
  executionId,
  pipelineDefinition,
  pipelineState,
  token,
} from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";

const action = {
  region: "us-east-1",
  pipelineName: pendingApproval.pipelineName,
  stageName: "Approval",
  actionName: "ManualApproval",
};
const parallelExecution = "99999999-7afe-43c2-a5e7-778ad1763485";
const otherToken = "22222222-2222-4333-8444-555555555555";

/** A page of other actions' runs (a busy pipeline's builds and deploys). */
function busyPage(nextToken?: string) {
  return actionExecutions(
    Array.from({ length: 3 }, (_, index) => ({
      status: "Succeeded",
      stageName: "Deploy",
      actionName: `Deploy${index}`,
      executionId: `0000000${index}-7afe-43c2-a5e7-778ad1763485`,
    })),
    nextToken ? { nextToken } : {},
  );
}

// Every intercepted page was asked for: a scan that stops early is caught by its own assertions.
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

function nockParallelPipeline() {
  nockCodePipeline("GetPipeline", pipelineDefinition(undefined, "PARALLEL"));
  nockCodePipeline("GetPipelineState", pipelineState({ pendingToken: otherToken }));
}

describe("findPendingExecution in a PARALLEL pipeline", () => {
  it("follows nextToken to the token's run on page 2 and reads no further", async () => {
    nockParallelPipeline();
    const listed: Record<string, unknown>[] = [];
    nockCodePipeline("ListActionExecutions", busyPage("page-2"), { requests: listed });
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions(
        [
          { status: "InProgress", token: otherToken, executionId: "older" },
          { status: "InProgress", token, executionId: parallelExecution },
        ],
        { nextToken: "page-3" },
      ),
      { requests: listed },
    );

    const found = await createTestPipelineGateway().findPendingExecution(action, token);

    expect(found).toBe(parallelExecution);
    expect(listed).toEqual([
      { pipelineName: action.pipelineName, maxResults: 100 },
      { pipelineName: action.pipelineName, maxResults: 100, nextToken: "page-2" },
    ]);
  });

  it("gives up after 10 pages without the token instead of calling a live approval stale", async () => {
    nockParallelPipeline();
    const listed: Record<string, unknown>[] = [];
    for (let page = 1; page <= 10; page += 1) {
      nockCodePipeline("ListActionExecutions", busyPage(`page-${page + 1}`), { requests: listed });
    }

    const lookup = createTestPipelineGateway().findPendingExecution(action, token);

    await expect(lookup).rejects.toBeInstanceOf(ActionExecutionScanLimitError);
    await expect(lookup).rejects.toThrow(/newest 1000 action executions of pipeline/);
    expect(listed).toHaveLength(10);
  });

  it("answers not pending when every page was read without the token", async () => {
    nockParallelPipeline();
    nockCodePipeline("ListActionExecutions", busyPage("page-2"));
    nockCodePipeline("ListActionExecutions", busyPage());

    await expect(createTestPipelineGateway().findPendingExecution(action, token)).resolves.toBe(
      undefined,
    );
  });

  it("answers not pending when the token's run, found on page 2, is already decided", async () => {
    nockParallelPipeline();
    nockCodePipeline("ListActionExecutions", busyPage("page-2"));
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "Succeeded", token, executionId: parallelExecution }]),
    );

    await expect(createTestPipelineGateway().findPendingExecution(action, token)).resolves.toBe(
      undefined,
    );
  });
});

describe("readApprovalState", () => {
  it("reads the token's run from page 2 of its execution's action executions", async () => {
    const listed: Record<string, unknown>[] = [];
    nockCodePipeline("ListActionExecutions", busyPage("page-2"), { requests: listed });
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([
        { status: "Succeeded", summary: "Ship it", updatedBy: "arn:aws:sts::1:u" },
      ]),
      { requests: listed },
    );

    const state = await createTestPipelineGateway().readApprovalState(
      pendingApproval,
      new Date("2026-12-01T00:00:00Z"),
    );

    expect(state).toMatchObject({ kind: "approved", summary: "Ship it" });
    expect(listed[1]).toEqual({
      pipelineName: action.pipelineName,
      filter: { pipelineExecutionId: executionId },
      maxResults: 100,
      nextToken: "page-2",
    });
  });

  it("answers from the token's own run when a retried stage ran the action again", async () => {
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([
        { status: "InProgress", token: otherToken },
        { status: "Failed", token, summary: "Not this week" },
      ]),
    );

    const state = await createTestPipelineGateway().readApprovalState(
      pendingApproval,
      new Date("2026-12-01T00:00:00Z"),
    );

    expect(state).toMatchObject({ kind: "rejected", summary: "Not this week" });
  });

  it("answers superseded when only another run of the action is in the execution", async () => {
    nockCodePipeline("ListActionExecutions", busyPage("page-2"));
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "InProgress", token: otherToken }]),
    );

    const state = await createTestPipelineGateway().readApprovalState(
      pendingApproval,
      new Date("2026-12-01T00:00:00Z"),
    );

    expect(state).toEqual({ kind: "superseded" });
  });
});

describe("findLatestActionExecution", () => {
  it("reads on until a page has runs of the action, then picks the newest by start time", async () => {
    nockCodePipeline("ListActionExecutions", busyPage("page-2"));
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions(
        [
          { status: "Abandoned", executionId, startTime: 1764328180.5 },
          {
            status: "InProgress",
            token: otherToken,
            executionId: parallelExecution,
            startTime: 1764340000.5,
          },
        ],
        { nextToken: "page-3" },
      ),
    );

    const latest = await createTestPipelineGateway().findLatestActionExecution(action);

    expect(latest).toEqual({
      executionId: parallelExecution,
      status: "InProgress",
      token: otherToken,
    });
  });

  it("answers undefined (the check run says less) when 10 pages hold no run of the action", async () => {
    for (let page = 1; page <= 10; page += 1) {
      nockCodePipeline("ListActionExecutions", busyPage(`page-${page + 1}`));
    }

    await expect(createTestPipelineGateway().findLatestActionExecution(action)).resolves.toBe(
      undefined,
    );
  });
});
