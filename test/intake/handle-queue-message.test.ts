import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { tokenOfExternalId } from "../../src/approvals/check-run-record.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import type { RetryOptions } from "../../src/intake/retry-transient.js";
import {
  createQueueMessageHandler,
  UnprocessableMessageError,
} from "../../src/intake/handle-queue-message.js";
import {
  actionExecutions,
  approvalNotification,
  executionId,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  snsEnvelope,
  sqsMessage,
  token,
} from "../fixtures/codepipeline.js";
import { approvalCheckRun } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repo,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";

function setup(retry?: RetryOptions) {
  const { log, messages, lines } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  const handle = createQueueMessageHandler({
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    retry,
  });
  return { handle, messages, lines };
}

/** The CodePipeline calls intake makes for a pending approval of one GitHub commit. */
function nockPendingPipeline(definition = pipelineDefinition(), execution = pipelineExecution()) {
  return [
    nockCodePipeline("GetPipeline", definition),
    nockCodePipeline("GetPipelineState", pipelineState()),
    nockCodePipeline("GetPipelineExecution", execution),
  ];
}

describe("intake: an approval notification becomes a check run", () => {
  it.each([
    ["an SNS envelope", snsEnvelope(approvalNotification())],
    ["raw-delivered JSON", approvalNotification()],
  ])("creates the check run on the source commit from %s", async (_form, body) => {
    const { handle } = setup();
    const aws = nockPendingPipeline();
    const created: JsonBody[] = [];
    const github = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      nockCreateCheckRun(created),
      nockPullRequestsForCommit(sha, []),
    ];

    await handle(sqsMessage(body));

    for (const scope of [...aws, ...github]) expect(scope.pendingMocks()).toEqual([]);
    expect(created).toHaveLength(1);
    const checkRun = created[0]!;
    expect(checkRun).toMatchObject({
      name: "CodePipeline: my-service-pipeline/Approval/ManualApproval",
      head_sha: sha,
      status: "completed",
      conclusion: "action_required",
      actions: [
        expect.objectContaining({ identifier: "approve", label: "Approve" }),
        expect.objectContaining({ identifier: "reject", label: "Request changes" }),
      ],
    });
    expect(JSON.parse(String(checkRun.external_id))).toMatchObject({
      executionId,
      token,
      region: "us-east-1",
    });
  });

  it("acknowledges a stale notification that no run of the action holds without touching GitHub", async () => {
    const { handle, messages } = setup();
    const otherToken = "11111111-2222-4333-8444-555555555555";
    const aws = [
      nockCodePipeline("GetPipeline", pipelineDefinition()),
      nockCodePipeline("GetPipelineState", pipelineState({ pendingToken: otherToken })),
      // Where a run of the token would name its execution (intake/recheck-stale-notification.ts).
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "InProgress", token: otherToken }]),
      ),
    ];
    // Any GitHub call would fail the test: nothing is intercepted for it.
    await expect(handle(sqsMessage(approvalNotification()))).resolves.toBeUndefined();
    for (const scope of aws) expect(scope.isDone()).toBe(true);
    expect(messages().some((m) => m.includes("no longer pending"))).toBe(true);
    expect(messages()).toContain(
      "no run of the action holds the notification's token; no check run to look at",
    );
  });

  it("leaves exactly one check run when the same notification is delivered twice", async () => {
    const { handle, messages } = setup();
    nockPendingPipeline();
    nockCodePipeline("GetPipelineState", pipelineState());
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    const created: JsonBody[] = [];
    nockRepoInstallation();
    nockInstallationToken();
    nockListCheckRuns(sha, []);
    nockCreateCheckRun(created);
    nockPullRequestsForCommit(sha, []);
    await handle(sqsMessage(approvalNotification()));

    const existing = { ...approvalCheckRun(), external_id: String(created[0]!.external_id) };
    const list = nockListCheckRuns(sha, [existing]);
    nockPullRequestsForCommit(sha, []);
    await handle(sqsMessage(approvalNotification()));

    expect(list.isDone()).toBe(true);
    expect(created).toHaveLength(1);
    expect(tokenOfExternalId(existing.external_id)).toBe(token);
    expect(messages()).toContain("approval already on GitHub (duplicate delivery)");
  });

  it("closes a later run it lists after creating its own, which a replica that died before closing it left with buttons", async () => {
    const { handle, messages } = setup();
    const aws = nockPendingPipeline();
    const created: JsonBody[] = [];
    const closed: JsonBody[] = [];
    const live = `https://github.com/${repo.owner}/${repo.repo}/runs/9001`;
    let ours: JsonBody | undefined;
    const github = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      githubApi()
        .post(`/repos/${repo.owner}/${repo.repo}/check-runs`, (body: JsonBody) => {
          created.push(body);
          return true;
        })
        .reply(201, (_uri, body) => (ours = { id: 9001, html_url: live, ...(body as JsonBody) }))
        // The other replica created 9002 between this one's first listing and its create, and
        // died before listing again: its run still offers the buttons.
        .get(`/repos/${repo.owner}/${repo.repo}/commits/${sha}/check-runs`)
        .query(true)
        .reply(200, () => {
          const orphan = { ...approvalCheckRun(undefined, 9002), external_id: ours!.external_id };
          return { total_count: 2, check_runs: [orphan, ours] };
        }),
      nockUpdateCheckRun(9002, closed),
      nockPullRequestsForCommit(sha, []),
    ];

    await handle(sqsMessage(approvalNotification()));

    for (const scope of [...aws, ...github]) expect(scope.pendingMocks()).toEqual([]);
    expect(created).toHaveLength(1);
    expect(closed).toHaveLength(1);
    const output = closed[0]!.output as { summary: string; annotations: unknown[] };
    expect(closed[0]).toMatchObject({ conclusion: "neutral", actions: [] });
    expect(output.summary).toContain(`[check run 9001](${live})`);
    expect(output.annotations).toHaveLength(1);
    expect(messages()).toContain("closing a duplicate check run");
  });

  it("creates a check run on each commit of a pipeline with two GitHub sources", async () => {
    const { handle } = setup();
    const otherSha = "a".repeat(40);
    nockPendingPipeline(
      pipelineDefinition([
        { artifact: "AppSource", fullRepositoryId: "octo-org/service" },
        { artifact: "InfraSource", github: { Owner: "octo-org", Repo: "infra" } },
      ]),
      pipelineExecution([
        { name: "AppSource", revisionId: sha },
        { name: "InfraSource", revisionId: otherSha },
      ]),
    );
    const infra = { owner: "octo-org", repo: "infra" };
    const created: JsonBody[] = [];
    const createdInfra: JsonBody[] = [];
    nockRepoInstallation();
    nockRepoInstallation(infra);
    nockInstallationToken();
    nockListCheckRuns(sha, []);
    nockListCheckRuns(otherSha, [], infra);
    nockCreateCheckRun(created);
    nockCreateCheckRun(createdInfra, infra, 9002);
    nockPullRequestsForCommit(sha, []);
    nockPullRequestsForCommit(otherSha, [], infra);

    await handle(sqsMessage(approvalNotification()));

    expect(created.map((c) => c.head_sha)).toEqual([sha]);
    expect(createdInfra.map((c) => c.head_sha)).toEqual([otherSha]);
  });

  it("warns and acknowledges when the pipeline has no GitHub source", async () => {
    const { handle, lines } = setup();
    const noGitHub = pipelineDefinition([]);
    nockPendingPipeline(noGitHub, pipelineExecution([{ name: "S3Source", revisionId: "v1" }]));
    await handle(sqsMessage(approvalNotification()));
    expect(lines.find((line) => String(line.msg).includes("no GitHub source"))).toMatchObject({
      level: 40,
    });
  });

  it("warns when the app is not installed on the source repository", async () => {
    const { handle, messages } = setup();
    nockPendingPipeline();
    nockRepoInstallation(undefined, null);
    await handle(sqsMessage(approvalNotification()));
    expect(messages().some((m) => m.includes("not installed"))).toBe(true);
  });

  it("finds the execution of a PARALLEL-mode pipeline through ListActionExecutions", async () => {
    const { handle } = setup();
    const parallelExecution = "99999999-7afe-43c2-a5e7-778ad1763485";
    nockCodePipeline("GetPipeline", pipelineDefinition(undefined, "PARALLEL"));
    nockCodePipeline("GetPipelineState", pipelineState({ pendingToken: "other" }));
    const listed: Record<string, unknown>[] = [];
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([
        {
          status: "InProgress",
          token: "22222222-2222-4333-8444-555555555555",
          executionId: "older",
        },
        { status: "InProgress", token, executionId: parallelExecution },
      ]),
      { requests: listed },
    );
    const executionRequests: Record<string, unknown>[] = [];
    nockCodePipeline("GetPipelineExecution", pipelineExecution(), { requests: executionRequests });
    const created: JsonBody[] = [];
    nockRepoInstallation();
    nockInstallationToken();
    nockListCheckRuns(sha, []);
    nockCreateCheckRun(created);
    nockPullRequestsForCommit(sha, []);

    await handle(sqsMessage(approvalNotification()));

    expect(executionRequests[0]).toMatchObject({ pipelineExecutionId: parallelExecution });
    expect(JSON.parse(String(created[0]!.external_id)).executionId).toBe(parallelExecution);
  });

  it("leaves an unprocessable message on the queue and never calls GitHub or AWS", async () => {
    const { handle, lines } = setup();
    await expect(handle(sqsMessage("{truncated"))).rejects.toBeInstanceOf(
      UnprocessableMessageError,
    );
    expect(
      lines.find((line) => line.msg === "unprocessable message left for the dead-letter queue"),
    ).toMatchObject({
      reason: "the body is not JSON",
    });
  });

  it("fails the message (for redelivery) when GitHub fails to create the check run", async () => {
    // One attempt: the handler's own retries of transient failures are covered in test/queue.
    const { handle } = setup({ attempts: 1 });
    nockPendingPipeline();
    nockRepoInstallation();
    nockInstallationToken();
    nockListCheckRuns(sha, []);
    githubApi().post("/repos/octo-org/service/check-runs").reply(502, { message: "Bad Gateway" });
    await expect(handle(sqsMessage(approvalNotification()))).rejects.toMatchObject({
      name: "MessageLeftOnQueueError",
      cause: { status: 502 },
    });
  });
});
