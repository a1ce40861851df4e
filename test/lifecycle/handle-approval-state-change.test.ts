import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import type { TrackedApproval } from "../../src/approvals/check-run-record.js";
import type { GitHubClient, RepoRef } from "../../src/github/github-client.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  handleApprovalStateChange,
  type LifecycleDeps,
} from "../../src/lifecycle/handle-approval-state-change.js";
import {
  actionExecutions,
  approvalNotification,
  executionId,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  sqsMessage,
  token,
} from "../fixtures/codepipeline.js";
import {
  createTestPipelineGateway,
  nockCodePipeline,
  nockCodePipelineError,
} from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repo,
  type JsonBody,
} from "../helpers/github-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import {
  checkRunOf,
  decidedOnGitHub,
  nockCheckRunsOf,
  parsedStateChange,
} from "./state-change-fixtures.js";

const eventTime = "2026-11-30T09:15:00Z";
const clock = new Date("2026-11-30T09:15:02Z");
const consoleUser = "arn:aws:sts::123456789012:assumed-role/Admin/jane";
const newerExecution = "77777777-7afe-43c2-a5e7-778ad1763485";
const newerSha = "b".repeat(40);

function setup(overrides: Partial<LifecycleDeps> = {}) {
  const { log, messages, lines } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  const deps: LifecycleDeps = {
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    settleMs: 0,
    now: () => clock,
    ...overrides,
  };
  return { deps, probot, messages, lines };
}

/** CodePipeline's answer to "which commits did this execution build?" (GetPipeline + GetPipelineExecution). */
function nockExecutionCommits() {
  return [
    nockCodePipeline("GetPipeline", pipelineDefinition()),
    nockCodePipeline("GetPipelineExecution", pipelineExecution()),
  ];
}

function nockInstalled() {
  return [nockRepoInstallation(), nockInstallationToken()];
}

/** The usual start of an event: the execution's commit, in a repository the app is installed on. */
function nockCommitOnInstalledRepo() {
  return [...nockExecutionCommits(), ...nockInstalled()];
}

function allDone(scopes: { isDone(): boolean }[]) {
  return scopes.every((scope) => scope.isDone());
}

/** The hidden record of a check run update, as GitHub would store it. */
function recordOf(body: JsonBody) {
  const text = String((body.output as { text: string }).text);
  const json = /<!-- codepipeline-approvals:record (.*) -->/.exec(text)?.[1] ?? "{}";
  return JSON.parse(json) as TrackedApproval["record"];
}

describe("lifecycle: an approval's state change brings its check run in line", () => {
  it("ignores STARTED without any call: the approval notification creates the check run", async () => {
    const { deps } = setup();
    const anyCall = githubApi().persist().get(/.*/).reply(500);
    const outcome = await handleApprovalStateChange(parsedStateChange("STARTED"), deps);
    expect(outcome).toEqual({ kind: "ignored", reason: "started" });
    expect(anyCall.isDone()).toBe(false);
  });

  it("marks an approval approved in the AWS console as success, approved outside GitHub, by whom", async () => {
    const { deps } = setup();
    const listed: Record<string, unknown>[] = [];
    const queries: Record<string, string>[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      ...nockCommitOnInstalledRepo(),
      nockCheckRunsOf([checkRunOf()], queries),
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "Succeeded", summary: "Looks good", updatedBy: consoleUser }]),
        { requests: listed },
      ),
      nockUpdateCheckRun(9001, updates),
    ];

    const outcome = await handleApprovalStateChange(
      parsedStateChange("SUCCEEDED", { time: eventTime }),
      deps,
    );

    expect(allDone(scopes)).toBe(true);
    expect(queries[0]).toMatchObject({
      check_name: "CodePipeline: my-service-pipeline/Approval/ManualApproval",
      filter: "all",
      app_id: String(appId),
    });
    expect(listed[0]).toMatchObject({ filter: { pipelineExecutionId: executionId } });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      conclusion: "success",
      actions: [],
      output: { title: "Approved outside GitHub" },
    });
    const summary = String((updates[0]!.output as { summary: string }).summary);
    expect(summary).toContain("outside GitHub");
    expect(summary).toContain("Looks good");
    expect(recordOf(updates[0]!).history).toEqual([
      expect.objectContaining({
        actor: "CodePipeline",
        channel: "aws",
        verdict: "Approved",
        result: "approved",
        detail: `CodePipeline reported SUCCEEDED: approved outside GitHub (AWS console, CLI or API) by ${consoleUser}`,
      }),
    ]);
    // The closing entry is appended to the annotation log in the same PATCH, so a writer that
    // paints the run pending afterwards finds it and closes the run again (closed is absorbing).
    const [annotation] = (updates[0]!.output as { annotations: { raw_details: string }[] })
      .annotations;
    const logged = JSON.parse(annotation!.raw_details.slice(annotation!.raw_details.indexOf("{")));
    expect(logged).toMatchObject({
      id: recordOf(updates[0]!).history[0]!.id,
      result: "approved",
      closes: { kind: "decided-outside", status: "Approved" },
    });
    expect(outcome).toEqual({
      kind: "synced",
      commits: [
        {
          repository: "octo-org/service",
          sha,
          kind: "synced",
          checkRuns: [{ checkRunId: 9001, kind: "updated", resolution: "decided-outside" }],
        },
      ],
    });
  });

  it("marks an approval rejected before it expired as failure", async () => {
    const { deps } = setup();
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "Failed", summary: "Not this week", updatedBy: consoleUser }]),
    );
    nockUpdateCheckRun(9001, updates);

    await handleApprovalStateChange(parsedStateChange("FAILED", { time: eventTime }), deps);

    expect(updates[0]).toMatchObject({
      conclusion: "failure",
      output: { title: "Rejected outside GitHub" },
    });
  });

  it.each([
    [
      "before the expiry: a rejection",
      "2026-12-05T11:08:30Z",
      "failure",
      "Rejected outside GitHub",
    ],
    [
      "after the expiry: timed out",
      "2026-12-05T11:09:40Z",
      "timed_out",
      "Expired without a decision",
    ],
  ])(
    "tells a FAILED approval without a reviewer's summary %s",
    async (_when, time, conclusion, title) => {
      const { deps } = setup({ now: () => new Date("2026-12-05T11:10:00Z") });
      const updates: JsonBody[] = [];
      nockCommitOnInstalledRepo();
      nockCheckRunsOf([checkRunOf()]);
      nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Failed" }]));
      nockUpdateCheckRun(9001, updates);

      await handleApprovalStateChange(parsedStateChange("FAILED", { time }), deps);

      expect(updates[0]).toMatchObject({ conclusion, output: { title } });
    },
  );

  it("marks a superseded approval cancelled and names the newer execution and its commit", async () => {
    const { deps } = setup();
    const updates: JsonBody[] = [];
    const listed: Record<string, unknown>[] = [];
    const executions: Record<string, unknown>[] = [];
    const scopes = [
      nockCodePipeline("GetPipeline", pipelineDefinition()),
      nockCodePipeline("GetPipelineExecution", pipelineExecution(), { requests: executions }),
      ...nockInstalled(),
      nockCheckRunsOf([checkRunOf()]),
      nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Abandoned" }]), {
        requests: listed,
      }),
      nockCodePipeline(
        "ListActionExecutions",
        {
          actionExecutionDetails: [
            { ...actionExecutions([{ status: "Abandoned" }]).actionExecutionDetails[0] },
            {
              ...actionExecutions([
                {
                  status: "InProgress",
                  executionId: newerExecution,
                  token: "22222222-2222-4333-8444-555555555555",
                },
              ]).actionExecutionDetails[0],
              startTime: 1764340000.5,
            },
          ],
        },
        { requests: listed },
      ),
      nockCodePipeline(
        "GetPipelineExecution",
        pipelineExecution([{ name: "SourceArtifact", revisionId: newerSha }]),
        { requests: executions },
      ),
      nockUpdateCheckRun(9001, updates),
    ];

    await handleApprovalStateChange(parsedStateChange("CANCELED", { time: eventTime }), deps);

    expect(allDone(scopes)).toBe(true);
    expect(listed[1]).not.toHaveProperty("filter");
    expect(executions[1]).toMatchObject({ pipelineExecutionId: newerExecution });
    expect(updates[0]).toMatchObject({
      conclusion: "cancelled",
      actions: [],
      output: { title: "Superseded by a newer pipeline execution" },
    });
    // The newer execution is named on the page (its rendering is render-check-run's business).
    expect(String((updates[0]!.output as { summary: string }).summary)).toMatch(/77777777/);
    const record = recordOf(updates[0]!);
    expect(record.resolution).toEqual({
      kind: "superseded",
      byExecutionId: newerExecution,
      at: "2026-11-30T09:15:00.000Z",
    });
    expect(record.history[0]?.detail).toBe(
      `CodePipeline reported CANCELED: superseded by pipeline execution ${newerExecution} (commit bbbbbbb)`,
    );
  });

  it("says the execution was stopped when an abandoned approval has no newer run", async () => {
    const { deps } = setup();
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Abandoned" }]));
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Abandoned" }]));
    nockUpdateCheckRun(9001, updates);

    await handleApprovalStateChange(parsedStateChange("ABANDONED", { time: eventTime }), deps);

    expect(updates[0]).toMatchObject({ conclusion: "cancelled" });
    expect(recordOf(updates[0]!).history[0]?.detail).toBe(
      "CodePipeline reported ABANDONED: the pipeline execution was stopped or abandoned before a decision",
    );
  });

  it("never overwrites the richer record of a decision made through GitHub", async () => {
    const { deps, messages } = setup();
    const decided = checkRunOf({ resolution: decidedOnGitHub });
    const scopes = [...nockCommitOnInstalledRepo(), nockCheckRunsOf([decided])];
    // No ListActionExecutions and no PATCH are intercepted: either would fail the handler.
    const outcome = await handleApprovalStateChange(
      parsedStateChange("SUCCEEDED", { time: eventTime }),
      deps,
    );
    expect(allDone(scopes)).toBe(true);
    expect(outcome).toMatchObject({
      commits: [{ kind: "synced", checkRuns: [{ kind: "kept", reason: "closed" }] }],
    });
    expect(messages()).toContain(
      "the check run is already closed (a decision made on GitHub keeps its record)",
    );
  });

  it("updates the check run once when the same event arrives twice", async () => {
    const { deps } = setup();
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }]));
    nockUpdateCheckRun(9001, updates);
    const event = parsedStateChange("SUCCEEDED", { time: eventTime });
    await handleApprovalStateChange(event, deps);

    // The second delivery sees the check run as the first one left it.
    const afterFirst = { ...checkRunOf(), output: updates[0]!.output as { text: string } };
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    const list = nockCheckRunsOf([afterFirst]);
    const outcome = await handleApprovalStateChange(event, deps);

    expect(list.isDone()).toBe(true);
    expect(updates).toHaveLength(1);
    expect(outcome).toMatchObject({
      commits: [{ checkRuns: [{ kind: "kept", reason: "closed" }] }],
    });
  });

  it("acknowledges an event that comes before the notification without a GitHub write; the late notification then publishes nothing", async () => {
    const { deps, probot, messages } = setup();
    nockCommitOnInstalledRepo();
    const list = nockCheckRunsOf([]);

    const outcome = await handleApprovalStateChange(
      parsedStateChange("SUCCEEDED", { time: eventTime }),
      deps,
    );
    expect(list.isDone()).toBe(true);
    expect(outcome).toMatchObject({ commits: [{ kind: "no-check-run" }] });
    expect(messages().some((m) => m.startsWith("no check run for this execution"))).toBe(true);

    // The approval was decided before its notification was handled: intake finds the token no
    // longer pending, looks for a check run left pending (there is none) and writes nothing to
    // GitHub (no POST or PATCH is intercepted).
    const state = nockCodePipeline("GetPipelineState", pipelineState({ status: "Succeeded" }));
    const lookedFor = [
      nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }])),
      nockCodePipeline("GetPipelineExecution", pipelineExecution()),
      nockRepoInstallation(),
      nockCheckRunsOf([]),
    ];
    const handle = createQueueMessageHandler({
      pipelines: deps.pipelines,
      github: createInstallationClients(probot),
      log: deps.log,
      appId,
    });
    await handle(sqsMessage(approvalNotification()));
    expect(state.isDone()).toBe(true);
    expect(allDone(lookedFor)).toBe(true);
    expect(messages().some((m) => m.includes("no longer pending"))).toBe(true);
  });

  it("only touches the check run of the event's execution when the commit ran again", async () => {
    const { deps } = setup();
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf({ id: 9002, execution: newerExecution })]);
    const outcome = await handleApprovalStateChange(
      parsedStateChange("FAILED", { time: eventTime }),
      deps,
    );
    expect(outcome).toMatchObject({ commits: [{ kind: "no-check-run" }] });
  });

  it.each([
    ["the pipeline was deleted", "GetPipeline", "PipelineNotFoundException", "pipeline-gone"],
    [
      "the execution is unknown",
      "GetPipelineExecution",
      "PipelineExecutionNotFoundException",
      "execution-gone",
    ],
  ] as const)(
    "acknowledges an event for an unknown approval (%s) without calling GitHub",
    async (_case, operation, error, reason) => {
      const { deps } = setup();
      if (operation === "GetPipeline") {
        nockCodePipelineError("GetPipeline", error);
        nockCodePipeline("GetPipelineExecution", pipelineExecution());
      } else {
        nockCodePipeline("GetPipeline", pipelineDefinition());
        nockCodePipelineError("GetPipelineExecution", error);
      }
      const anyGitHub = githubApi().persist().get(/.*/).reply(500);
      const outcome = await handleApprovalStateChange(parsedStateChange("FAILED"), deps);
      expect(outcome).toEqual({ kind: "untracked", reason });
      expect(anyGitHub.isDone()).toBe(false);
    },
  );

  it("acknowledges an event for a pipeline without a GitHub source", async () => {
    const { deps } = setup();
    nockCodePipeline("GetPipeline", pipelineDefinition([]));
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    const outcome = await handleApprovalStateChange(parsedStateChange("SUCCEEDED"), deps);
    expect(outcome).toEqual({ kind: "untracked", reason: "no-github-source" });
  });

  it("acknowledges an event for a repository the app is not installed on", async () => {
    const { deps, messages } = setup();
    nockExecutionCommits();
    nockRepoInstallation(undefined, null);
    const outcome = await handleApprovalStateChange(parsedStateChange("SUCCEEDED"), deps);
    expect(outcome).toMatchObject({ commits: [{ kind: "not-installed" }] });
    expect(messages().some((m) => m.includes("not installed"))).toBe(true);
  });

  it("leaves the check run alone when CodePipeline still shows it pending (an older event)", async () => {
    const { deps } = setup();
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    const read = nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "InProgress" }]),
    );
    const outcome = await handleApprovalStateChange(
      parsedStateChange("FAILED", { time: eventTime }),
      deps,
    );
    expect(read.isDone()).toBe(true);
    expect(outcome).toMatchObject({
      commits: [{ checkRuns: [{ kind: "kept", reason: "pending" }] }],
    });
  });

  it("closes a later run of the approval as a duplicate of the lowest while CodePipeline still waits (its maker died before closing it)", async () => {
    const { deps, messages } = setup();
    const closed: JsonBody[] = [];
    const scopes = [
      ...nockCommitOnInstalledRepo(),
      nockCheckRunsOf([checkRunOf({ id: 9002 }), checkRunOf({ id: 9001 })]),
      nockUpdateCheckRun(9002, closed),
      // One read, for the live run: the duplicate is closed whatever CodePipeline says.
      nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "InProgress" }])),
    ];
    const outcome = await handleApprovalStateChange(
      parsedStateChange("FAILED", { time: eventTime }),
      deps,
    );
    expect(allDone(scopes)).toBe(true);
    expect(outcome).toMatchObject({
      commits: [
        {
          checkRuns: [
            { checkRunId: 9002, kind: "updated", resolution: "superseded" },
            { checkRunId: 9001, kind: "kept", reason: "pending" },
          ],
        },
      ],
    });
    const live = `https://github.com/${repo.owner}/${repo.repo}/runs/9001`;
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ conclusion: "neutral", actions: [] });
    expect((closed[0]!.output as { summary: string }).summary).toContain(
      `[check run 9001](${live})`,
    );
    expect(recordOf(closed[0]!).resolution).toEqual({
      kind: "superseded",
      duplicateOf: { id: 9001, url: live },
    });
    expect(messages()).toContain("closing a duplicate check run");
  });

  it("hands the updated approval to onResolved, and an onResolved failure does not undo the update", async () => {
    const seen: {
      repo: RepoRef;
      checkRunId: number;
      tracked: TrackedApproval;
      octokit: GitHubClient;
    }[] = [];
    const { deps, lines } = setup({
      onResolved: async (octokit, target, checkRun, tracked) => {
        seen.push({ octokit, repo: target, checkRunId: checkRun.id, tracked });
        throw new Error("notice failed");
      },
    });
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }]));
    nockUpdateCheckRun(9001, updates);

    await handleApprovalStateChange(parsedStateChange("SUCCEEDED", { time: eventTime }), deps);

    expect(updates).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.repo).toEqual(repo);
    expect(seen[0]!.checkRunId).toBe(9001);
    expect(seen[0]!.tracked.approval.token).toBe(token);
    expect(seen[0]!.tracked.record.resolution).toMatchObject({
      kind: "decided-outside",
      status: "Approved",
    });
    expect(typeof seen[0]!.octokit.rest.checks.update).toBe("function");
    expect(lines.find((line) => String(line.msg).startsWith("onResolved failed"))).toMatchObject({
      level: 40,
    });
  });
});

describe("lifecycle: the races around a decision made through GitHub", () => {
  const githubSummary = "Approved via GitHub by @alice (check run button): ship it";

  it("after PutApprovalResult but before the deciding replica's update (it crashed), the event closes the check run as approved via GitHub", async () => {
    const { deps } = setup({ settleMs: 40 });
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    const lists = [nockCheckRunsOf([checkRunOf()]), nockCheckRunsOf([checkRunOf()])];
    const reads = [
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "Succeeded", summary: githubSummary }]),
      ),
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "Succeeded", summary: githubSummary }]),
      ),
    ];
    nockUpdateCheckRun(9001, updates);

    // The event is seconds old: the decision's own update may still be on its way.
    await handleApprovalStateChange(parsedStateChange("SUCCEEDED", { time: eventTime }), {
      ...deps,
      now: () => new Date(eventTime),
    });

    expect(allDone([...lists, ...reads])).toBe(true);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      conclusion: "success",
      output: { title: "Approved via GitHub" },
    });
  });

  it("keeps the deciding replica's record when it lands while the event waits", async () => {
    const { deps } = setup({ settleMs: 40 });
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "Succeeded", summary: githubSummary }]),
    );
    const second = nockCheckRunsOf([checkRunOf({ resolution: decidedOnGitHub })]);

    const outcome = await handleApprovalStateChange(
      parsedStateChange("SUCCEEDED", { time: eventTime }),
      { ...deps, now: () => new Date(eventTime) },
    );

    expect(second.isDone()).toBe(true);
    expect(outcome).toMatchObject({
      commits: [{ checkRuns: [{ kind: "kept", reason: "closed" }] }],
    });
  });

  it("reads CodePipeline again when it has not caught up with a fresh event", async () => {
    const { deps } = setup({ settleMs: 40 });
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([checkRunOf()]);
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "InProgress" }]));
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }]));
    nockUpdateCheckRun(9001, updates);

    await handleApprovalStateChange(parsedStateChange("SUCCEEDED", { time: eventTime }), {
      ...deps,
      now: () => new Date(eventTime),
    });

    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("looks once more for a check run a concurrent notification may be creating", async () => {
    const { deps } = setup({ settleMs: 40 });
    const updates: JsonBody[] = [];
    nockCommitOnInstalledRepo();
    nockCheckRunsOf([]);
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }]));
    nockUpdateCheckRun(9001, updates);

    await handleApprovalStateChange(parsedStateChange("SUCCEEDED", { time: eventTime }), {
      ...deps,
      now: () => new Date(eventTime),
    });

    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });
});
