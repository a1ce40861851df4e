import { afterEach, describe, expect, it } from "vitest";
import { createPipelineGateway } from "../../src/codepipeline/pipeline-gateway.js";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import {
  actionExecutions,
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
} from "../fixtures/codepipeline.js";
import { buttonClick } from "../fixtures/github.js";
import { nockCodePipeline, nockCodePipelineError } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockPermission,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import {
  checkRunOf,
  fakeCheckRunsOf,
  nockCheckRunsOf,
  stateChangeEvent,
} from "../lifecycle/state-change-fixtures.js";
import {
  nockNoPullRequests,
  startQueueHarness,
  waitFor,
  type QueueHarness,
} from "./queue-harness.js";

let harness: QueueHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const patchPath = `${repoPath}/check-runs/9001`;
const retrying = "transient failure; retrying the message's work";

async function drained(h: QueueHarness) {
  const { visible, inFlight } = await h.count();
  return visible === 0 && inFlight === 0;
}

/** The reads of one SUCCEEDED event, `times` times (the definition and installation are cached). */
function nockEventReads({ times = 1, summary }: { times?: number; summary?: string } = {}) {
  nockCodePipeline("GetPipeline", pipelineDefinition());
  nockRepoInstallation();
  nockInstallationToken();
  for (let i = 0; i < times; i += 1) {
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "Succeeded", ...(summary ? { summary } : {}) }]),
    );
  }
}

/** Reads the policy file (absent: defaults) and the PR notices (no pull request) may make. */
function nockNoPolicyNorPullRequests() {
  githubApi()
    .persist()
    .get(/\/contents\//)
    .reply(404, { message: "Not Found" });
  nockNoPullRequests();
}

describe("faults: GitHub", () => {
  it("rides out a GitHub 500 with the production Octokit's retry plugin, in one delivery", async () => {
    harness = await startQueueHarness({ Octokit: createGitHubOctokit() });
    nockEventReads();
    const updates: JsonBody[] = [];
    const failed = githubApi().patch(patchPath).reply(500, { message: "Server Error" });
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(() => updates.length === 1);
    await waitFor(() => drained(harness!));
    expect(failed.isDone()).toBe(true);
    expect(harness.messages()).not.toContain(retrying);
  });

  it("waits out a 403 secondary rate limit for GitHub's retry-after, then updates once", async () => {
    harness = await startQueueHarness({ Octokit: createGitHubOctokit() });
    nockEventReads();
    const updates: JsonBody[] = [];
    const limited = githubApi()
      .patch(patchPath)
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "1" });
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();
    const started = Date.now();

    await waitFor(() => updates.length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await waitFor(() => drained(harness!));
    expect(limited.isDone()).toBe(true);
    expect(updates).toHaveLength(1);
  });

  it("repeats the work after GitHub timed out (no answer), without the clients' own retries", async () => {
    harness = await startQueueHarness();
    githubApi()
      .get(`${repoPath}/commits/${sha}/check-runs`)
      .query(true)
      .replyWithError({ code: "ETIMEDOUT", message: "connect ETIMEDOUT 140.82.112.6:443" });
    nockEventReads({ times: 2 });
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(() => updates.length === 1);
    await waitFor(() => drained(harness!));
    expect(harness.lines.filter((line) => line.msg === retrying)).toEqual([
      expect.objectContaining({ why: "GitHub ETIMEDOUT", attempt: 1 }),
    ]);
  });
});

describe("faults: AWS", () => {
  it("repeats the work after a ThrottlingException the client did not retry", async () => {
    harness = await startQueueHarness();
    nockCodePipelineError("GetPipelineExecution", "ThrottlingException");
    nockEventReads();
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(() => updates.length === 1);
    await waitFor(() => drained(harness!));
    expect(harness.lines.filter((line) => line.msg === retrying)).toEqual([
      expect.objectContaining({ why: "AWS ThrottlingException" }),
    ]);
  });

  it("lets the production client's adaptive retry absorb a ThrottlingException", async () => {
    harness = await startQueueHarness({ pipelines: createPipelineGateway() });
    nockCodePipelineError("GetPipelineExecution", "ThrottlingException");
    nockEventReads();
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(() => updates.length === 1);
    await waitFor(() => drained(harness!));
    expect(harness.messages()).not.toContain(retrying);
  });
});

describe("faults: a handler interrupted half-way", () => {
  it("killed after the check run was created but before the delete: the redelivery creates no second one", async () => {
    let kills = 0;
    harness = await startQueueHarness({
      visibilityTimeoutSeconds: 1,
      wrapHandle: (handle) => async (message) => {
        await handle(message);
        if (kills === 0) {
          kills += 1;
          // The process dies here: the work is done, the message is not deleted.
          throw new Error("SIGKILL");
        }
      },
    });
    nockNoPolicyNorPullRequests();
    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockRepoInstallation();
    nockInstallationToken();
    for (let i = 0; i < 2; i += 1) {
      nockCodePipeline("GetPipelineState", pipelineState());
      nockCodePipeline("GetPipelineExecution", pipelineExecution());
    }
    const created: JsonBody[] = [];
    const onGitHub: unknown[] = [];
    githubApi()
      .persist()
      .get(`${repoPath}/commits/${sha}/check-runs`)
      .query(true)
      .reply(200, () => ({ total_count: onGitHub.length, check_runs: onGitHub }));
    githubApi()
      .persist()
      .post(`${repoPath}/check-runs`, (body: JsonBody) => {
        created.push(body);
        onGitHub.push({ ...checkRunOf(), id: 9001, external_id: body.external_id });
        return true;
      })
      .reply(201, (_uri, body) => ({ id: 9001, head_sha: sha, ...(body as JsonBody) }));
    await harness.send(approvalNotification());
    harness.startConsumer();

    await waitFor(() =>
      harness!.messages().includes("approval already on GitHub (duplicate delivery)"),
    );
    await waitFor(() => drained(harness!));
    expect(kills).toBe(1);
    expect(created).toHaveLength(1);
  });

  it("created on GitHub but the answer was lost: the retry finds the check run instead of creating another", async () => {
    harness = await startQueueHarness();
    nockNoPolicyNorPullRequests();
    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockRepoInstallation();
    nockInstallationToken();
    for (let i = 0; i < 2; i += 1) {
      nockCodePipeline("GetPipelineState", pipelineState());
      nockCodePipeline("GetPipelineExecution", pipelineExecution());
    }
    const created: JsonBody[] = [];
    nockCheckRunsOf([]);
    githubApi()
      .post(`${repoPath}/check-runs`, (body: JsonBody) => {
        created.push(body);
        return true;
      })
      .replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    const list = githubApi()
      .get(`${repoPath}/commits/${sha}/check-runs`)
      .query(true)
      .reply(200, () => ({
        total_count: 1,
        check_runs: [{ ...checkRunOf(), external_id: created[0]?.external_id }],
      }));
    await harness.send(approvalNotification());
    harness.startConsumer();

    await waitFor(() => drained(harness!));
    expect(list.isDone()).toBe(true);
    expect(created).toHaveLength(1);
    expect(harness.messages()).toContain("approval already on GitHub (duplicate delivery)");
  });

  it("killed after PutApprovalResult but before the check run update: the state-change event closes it as approved via GitHub", async () => {
    // The click: CodePipeline takes the decision, then GitHub fails the update and the process
    // dies. CodePipeline is decided, the check run still says pending.
    const { probot } = createTestProbot({ pipelines: createTestPipelineGateway() });
    nockInstallationToken();
    nockNoPolicyNorPullRequests();
    nockPermission("alice", "write");
    const put: Record<string, unknown>[] = [];
    nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200.5 }, { requests: put });
    githubApi().patch(patchPath).reply(500, { message: "Server Error" });
    await expect(receive(probot, "check_run", buttonClick())).rejects.toThrow();
    const summary = (put[0]!.result as { summary: string }).summary;

    // The event SUCCEEDED arrives on the queue.
    harness = await startQueueHarness();
    nockEventReads({ summary });
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(() => updates.length === 1);
    await waitFor(() => drained(harness!));
    expect(put).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      conclusion: "success",
      actions: [],
      output: { title: "Approved via GitHub" },
    });
  });

  it("killed after PutApprovalResult but before the check run update: after a restart, the next click brings the check run in line without a second decision", async () => {
    const first = createTestProbot({ pipelines: createTestPipelineGateway() });
    nockInstallationToken();
    nockNoPolicyNorPullRequests();
    nockPermission("alice", "write");
    const put: Record<string, unknown>[] = [];
    nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200.5 }, { requests: put });
    githubApi().patch(patchPath).reply(500, { message: "Server Error" });
    await expect(receive(first.probot, "check_run", buttonClick())).rejects.toThrow();
    const summary = (put[0]!.result as { summary: string }).summary;

    const restarted = createTestProbot({ pipelines: createTestPipelineGateway() });
    nockInstallationToken();
    nockPermission("bob", "write");
    nockCodePipelineError("PutApprovalResult", "ApprovalAlreadyCompletedException");
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded", summary }]));
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await receive(restarted.probot, "check_run", buttonClick({ login: "bob" }));

    expect(put).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      conclusion: "success",
      output: { title: "Approved via GitHub" },
    });
  });
});

describe("faults: duplicate and out-of-order events", () => {
  it("writes the check run once for a duplicate SUCCEEDED and a late STARTED in one batch", async () => {
    harness = await startQueueHarness({ batchSize: 10 });
    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockRepoInstallation();
    nockInstallationToken();
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }]));
    const github = fakeCheckRunsOf([checkRunOf()]);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    await harness.send(stateChangeEvent("SUCCEEDED"));
    await harness.send(stateChangeEvent("STARTED"));
    harness.startConsumer();

    await waitFor(() => drained(harness!));
    await waitFor(
      () =>
        harness!.messages().filter((m) => m.startsWith("the check run is already closed"))
          .length === 1,
    );
    expect(github.updates).toHaveLength(1);
    expect(github.updates[0]?.body).toMatchObject({ conclusion: "success" });
    expect(harness.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it("acknowledges an event for an unknown approval without writing anything", async () => {
    harness = await startQueueHarness();
    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockCodePipelineError("GetPipelineExecution", "PipelineExecutionNotFoundException");
    const anyGitHub = githubApi().persist().get(/.*/).reply(500).patch(/.*/).reply(500);
    await harness.send(
      stateChangeEvent("FAILED", { execution: "00000000-0000-4000-8000-000000000000" }),
    );
    harness.startConsumer();

    await waitFor(() => drained(harness!));
    expect(anyGitHub.isDone()).toBe(false);
    expect(harness.messages()).toContain(
      "the execution no longer exists in CodePipeline; no check run to bring in line",
    );
  });
});
