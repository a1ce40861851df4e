import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { newRecord, readTrackedApproval } from "../../src/approvals/check-run-record.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockPermission,
  nockRepoInstallation,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { nockNoPolicy, nockPolicyFile } from "../helpers/github-policy-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  appId,
  createTestLog,
  createTestProbot,
  privateKey,
  receive,
  TestOctokit,
} from "../helpers/probot.js";

/**
 * An execution built from two GitHub repositories: octo-org/service (no policy file: anyone with
 * write) and octo-org/infra (strict). A decision on either check run must satisfy both.
 */
const infra = { owner: "octo-org", repo: "infra" };
const infraSha = "a".repeat(40);
const twoSources: PendingApproval = {
  ...pendingApproval,
  sources: [
    { owner: "octo-org", repo: "service", sha },
    { ...infra, sha: infraSha },
  ],
};

function clickOnService(login = "alice") {
  const checkRun = approvalCheckRun({ approval: twoSources, record: newRecord(twoSources) });
  return buttonClick({ login, checkRun });
}

function setup() {
  return createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date("2026-11-28T12:00:00Z"),
  }).probot;
}

function nockInfraPermission(login: string, permission: string) {
  return githubApi()
    .get(`/repos/${infra.owner}/${infra.repo}/collaborators/${login}/permission`)
    .reply(200, { permission, role_name: permission, user: { login } });
}

function refusalOf(update: JsonBody | undefined): string {
  const output = update?.output as { annotations?: { message: string }[] } | undefined;
  return output?.annotations?.[0]?.message ?? "";
}

describe("several GitHub sources: every source's policy must allow", () => {
  it("refuses a writer of the loose repository whom the strict repository does not allow, naming it", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      nockRepoInstallation(infra),
      nockPolicyFile("defaults:\n  min_permission: admin\n", infra),
      nockInfraPermission("alice", "write"),
      nockUpdateCheckRun(9001, updates),
    ];

    // No PutApprovalResult is intercepted: letting the decision through would fail the test.
    await receive(probot, "check_run", clickOnService());

    expectAllDone(scopes);
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(refusalOf(updates[0])).toContain(
      "octo-org/infra, another source repository of this pipeline execution, refuses: @alice has write permission; deciding needs admin or higher",
    );
  });

  it("decides when every source's policy allows the person", async () => {
    const probot = setup();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      ...nockNoPolicy(),
      nockPermission("alice", "admin"),
      nockRepoInstallation(infra),
      nockPolicyFile("defaults:\n  min_permission: admin\n", infra),
      nockInfraPermission("alice", "admin"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
      nockPullRequestsForCommit(sha, []),
    ];

    await receive(probot, "check_run", clickOnService());

    expectAllDone(scopes);
    expect(put[0]).toMatchObject({ result: { status: "Approved" } });
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("refuses, naming the repository, when the app cannot read another source's policy", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      ...nockNoPolicy(),
      nockPermission("alice", "admin"),
      nockRepoInstallation(infra, null),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", clickOnService());

    expectAllDone(scopes);
    expect(refusalOf(updates[0])).toContain(
      "octo-org/infra, another source repository of this pipeline execution, refuses: its policy could not be read",
    );
  });

  it("records every source commit on each check run of a two-source execution", async () => {
    const { log } = createTestLog();
    const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
    const handle = createQueueMessageHandler({
      pipelines: createTestPipelineGateway(),
      github: createInstallationClients(probot),
      log,
      appId,
    });
    const created: JsonBody[] = [];
    const createdInfra: JsonBody[] = [];
    const scopes = [
      nockCodePipeline(
        "GetPipeline",
        pipelineDefinition([
          { artifact: "AppSource", fullRepositoryId: "octo-org/service" },
          { artifact: "InfraSource", github: { Owner: "octo-org", Repo: "infra" } },
        ]),
      ),
      nockCodePipeline("GetPipelineState", pipelineState()),
      nockCodePipeline(
        "GetPipelineExecution",
        pipelineExecution([
          { name: "AppSource", revisionId: sha },
          { name: "InfraSource", revisionId: infraSha },
        ]),
      ),
      nockRepoInstallation(),
      nockRepoInstallation(infra),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      nockListCheckRuns(infraSha, [], infra),
      nockCreateCheckRun(created),
      nockCreateCheckRun(createdInfra, infra, 9002),
      nockPullRequestsForCommit(sha, []),
      nockPullRequestsForCommit(infraSha, [], infra),
    ];

    await handle(sqsMessage(approvalNotification()));

    expectAllDone(scopes);
    for (const body of [created[0]!, createdInfra[0]!]) {
      const tracked = readTrackedApproval({
        id: 1,
        name: String(body.name),
        head_sha: String(body.head_sha),
        external_id: String(body.external_id),
        output: body.output as { text: string },
      });
      expect(tracked?.approval.sources).toEqual([
        { owner: "octo-org", repo: "service", sha },
        { ...infra, sha: infraSha },
      ]);
    }
  });
});
