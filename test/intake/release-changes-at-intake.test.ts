import nock from "nock";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { readTrackedApproval } from "../../src/approvals/check-run-record.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { notifyPullRequestsFrom } from "../../src/policy/policy-backed-switches.js";
import { rememberPolicyLoads } from "../../src/policy/remember-policy-loads.js";
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
} from "../fixtures/codepipeline.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import {
  nockCompare,
  nockDescribeCommits,
  type CompareSpec,
  type DescribedCommit,
} from "../helpers/github-compare-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { nockNoPolicy, policyFilePath } from "../helpers/github-policy-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";

/**
 * Intake through the HTTP layer with the real SDKs: CodePipeline names the last execution in
 * which this approval action succeeded, GitHub compares its commit with this one, and the check
 * run is created saying what changed. See docs/reviewing.md.
 */
const previousExecutionId = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c";
const base = "1111111111111111111111111111111111111111";
const c1 = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const c2 = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";

function setup(changesBudgetMs = 5_000) {
  const { log, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  const handle = createQueueMessageHandler({
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    // As production wires it: one policy read per message serves the check run and the notice.
    forEachMessage: () => {
      const load = rememberPolicyLoads(loadPolicy);
      return { readPolicy: load, notifyPullRequests: notifyPullRequestsFrom(load) };
    },
    showChanges: true,
    changesBudgetMs,
  });
  return { handle, messages };
}

/** GetPipelineExecution for one execution: the current one, or the last approved one. */
function nockExecution(id: string, revision: string, pipelineVersion = 3) {
  return nock("https://codepipeline.us-east-1.amazonaws.com")
    .post("/", (body: JsonBody) => body.pipelineExecutionId === id)
    .matchHeader("x-amz-target", "CodePipeline_20150709.GetPipelineExecution")
    .reply(
      200,
      {
        pipelineExecution: {
          ...pipelineExecution([{ name: "SourceArtifact", revisionId: revision }])
            .pipelineExecution,
          pipelineExecutionId: id,
          pipelineVersion,
        },
      },
      { "content-type": "application/x-amz-json-1.1" },
    );
}

/** The approval now waiting, in `executionId`, on commit `sha` of octo-org/service. */
function nockPendingApproval(runs = approvedBefore()) {
  return [
    nockCodePipeline("GetPipeline", pipelineDefinition()),
    nockCodePipeline("GetPipelineState", pipelineState()),
    nockExecution(executionId, sha),
    nockCodePipeline("ListActionExecutions", runs),
  ];
}

/** The action's runs: this one waiting, and an earlier one approved (Succeeded). */
function approvedBefore() {
  return actionExecutions([
    { status: "InProgress", startTime: 1764328180.5 },
    {
      status: "Failed",
      executionId: "99999999-0000-4000-8000-000000000000",
      startTime: 1764300000.5,
    },
    { status: "Succeeded", executionId: previousExecutionId, startTime: 1764240000.5 },
  ]);
}

function nockGitHub(created: JsonBody[]) {
  return [
    nockRepoInstallation(),
    nockInstallationToken(),
    nockListCheckRuns(sha, []),
    ...nockNoPolicy(),
    nockCreateCheckRun(created),
    nockPullRequestsForCommit(sha, []),
  ];
}

async function publishWith(
  compare: CompareSpec | number,
  described: DescribedCommit[] | number = describedCommits(),
) {
  const { handle, messages } = setup();
  const created: JsonBody[] = [];
  const scopes = [
    ...nockPendingApproval(),
    nockExecution(previousExecutionId, base),
    ...nockGitHub(created),
    nockCompare(base, sha, compare),
    nockDescribeCommits(described),
  ];
  await handle(sqsMessage(snsEnvelope(approvalNotification())));
  expectAllDone(scopes);
  const output = created[0]!.output as { title: string; summary: string; text: string };
  return { output, record: recordOf(created[0]!), messages };
}

function describedCommits() {
  return [
    { sha, subject: "Retry payment calls", pull: { number: 42, title: "Retry payments" } },
    { sha: c1, subject: "Add a retry budget", pull: { number: 40, title: "Retry budget" } },
    { sha: c2, subject: "Log the retries" },
  ];
}

function recordOf(body: JsonBody) {
  return readTrackedApproval({
    id: 9001,
    name: String(body.name),
    head_sha: sha,
    external_id: String(body.external_id),
    output: body.output as { text: string },
  })?.record;
}

describe("what changed since the last approved release, at intake", () => {
  it("lists the commits this release adds, with authors and pull requests, when ahead", async () => {
    const { output, record } = await publishWith({
      status: "ahead",
      commits: [
        {
          sha: c1,
          message: "Add a retry budget\n\nLonger text the check run leaves out",
          login: "alice",
        },
        { sha: c2, message: "Log the retries", name: "Bob Builder" },
        { sha, message: "Retry payment calls", login: "carol" },
      ],
    });

    expect(output.title).toBe("Waiting for approval");
    expect(output.summary).toContain(
      `**Pull request** [\\#42](https://github.com/octo-org/service/pull/42) (github\\.com) Retry payments · **Commit** [6dcb09b](https://github.com/octo-org/service/commit/${sha}) (github\\.com) Retry payment calls`,
    );
    expect(output.summary).toContain(
      `[3 commits](https://github.com/octo-org/service/compare/${base}...${sha}) (github\\.com) since the last approved release, \`1111111\` (pipeline execution [5f4e3d2c](https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/my-service-pipeline/executions/${previousExecutionId}/timeline?region=us-east-1) (us\\-east\\-1\\.console\\.aws\\.amazon\\.com)):`,
    );
    expect(output.summary).toContain(
      `- [a1a1a1a](https://github.com/octo-org/service/commit/${c1}) (github\\.com) Add a retry budget — @\u200dalice in [\\#40](https://github.com/octo-org/service/pull/40) (github\\.com) Retry budget`,
    );
    expect(output.summary).toContain(`Log the retries — Bob Builder\n`);
    expect(output.summary).not.toContain("Longer text");
    expect(record?.changes?.since).toMatchObject({ kind: "compared", status: "ahead", aheadBy: 3 });
  });

  it("says how many more commits there are than it lists", async () => {
    const { output } = await publishWith({
      status: "ahead",
      aheadBy: 57,
      commits: [{ sha: c1, message: "Add a retry budget", login: "alice" }],
    });
    expect(output.summary).toContain("[57 commits](");
    expect(output.summary).toContain(
      `- and 56 more ([see all](https://github.com/octo-org/service/compare/${base}...${sha}) (github\\.com))`,
    );
  });

  it("warns of a rollback in the title and the summary when the commit is behind", async () => {
    const { output } = await publishWith({ status: "behind", aheadBy: 0, behindBy: 2 });
    expect(output.title).toBe("⚠️ Rollback: undoes 2 commits · Waiting for approval");
    expect(output.summary).toContain(
      `⚠️ **Rollback**: this commit is 2 commits behind \`1111111\`, the last release this approval let through. Approving it undoes [2 commits](https://github.com/octo-org/service/compare/${sha}...${base}) (github\\.com).`,
    );
  });

  it("notes histories that diverged: what it brings and what it leaves out", async () => {
    const { output } = await publishWith({
      status: "diverged",
      aheadBy: 1,
      behindBy: 3,
      commits: [{ sha, message: "Retry payment calls", login: "carol" }],
    });
    expect(output.title).toBe(
      "⚠️ Diverged: leaves out 3 commits of the last release · Waiting for approval",
    );
    expect(output.summary).toContain(
      "⚠️ **Diverged history**: this commit does not contain `1111111`",
    );
    expect(output.summary).toContain(
      "brings 1 commit that release lacks and leaves out [3 commits]",
    );
  });

  it("says nothing new would ship when the commit is the last approved one", async () => {
    const { output } = await publishWith({ status: "identical", aheadBy: 0 });
    expect(output.title).toBe("Waiting for approval");
    expect(output.summary).toContain(
      "The same commit as the last approved release, `1111111` (pipeline execution",
    );
  });

  it("says when GitHub cannot compare the two commits (404) instead of guessing", async () => {
    const { output } = await publishWith(404);
    expect(output.summary).toContain(
      "Cannot compare with the last approved release (`1111111`) (pipeline execution",
    );
    expect(output.summary).toContain("GitHub cannot compare the two commits");
  });

  it("calls it the first release through this approval when no earlier run succeeded", async () => {
    const { handle } = setup();
    const created: JsonBody[] = [];
    const scopes = [
      ...nockPendingApproval(
        actionExecutions([
          { status: "InProgress", startTime: 1764328180.5 },
          { status: "Failed", executionId: previousExecutionId, startTime: 1764240000.5 },
        ]),
      ),
      ...nockGitHub(created),
      nockDescribeCommits(describedCommits()),
    ];
    await handle(sqsMessage(snsEnvelope(approvalNotification())));
    expectAllDone(scopes);
    const { summary } = created[0]!.output as { summary: string };
    expect(summary).toContain("First release through this approval");
    expect(summary).toContain("**Pull request** [\\#42]");
  });

  it("says the last approved release came from another repository", async () => {
    const { handle } = setup();
    const created: JsonBody[] = [];
    const requests: JsonBody[] = [];
    const scopes = [
      ...nockPendingApproval(),
      // Built by version 2 of the pipeline, whose source was another repository.
      nockExecution(previousExecutionId, base, 2),
      nockCodePipeline(
        "GetPipeline",
        pipelineDefinition([
          { artifact: "SourceArtifact", fullRepositoryId: "octo-org/old-service" },
        ]),
        { requests },
      ),
      ...nockGitHub(created),
      nockDescribeCommits(describedCommits()),
    ];
    await handle(sqsMessage(snsEnvelope(approvalNotification())));
    expectAllDone(scopes);
    expect(requests).toEqual([{ name: "my-service-pipeline", version: 2 }]);
    const { summary } = created[0]!.output as { summary: string };
    expect(summary).toContain(
      "The last approved release was built from another repository, `octo-org/old-service@1111111` (pipeline execution",
    );
  });

  it("creates the check run saying the lookup failed when CodePipeline's history cannot be read", async () => {
    const { handle, messages } = setup();
    const created: JsonBody[] = [];
    const scopes = [
      nockCodePipeline("GetPipeline", pipelineDefinition()),
      nockCodePipeline("GetPipelineState", pipelineState()),
      nockExecution(executionId, sha),
      nockCodePipeline("ListActionExecutions", { __type: "ThrottlingException" }, { status: 400 }),
      ...nockGitHub(created),
    ];
    await handle(sqsMessage(snsEnvelope(approvalNotification())));
    expectAllDone(scopes);
    const { summary } = created[0]!.output as { summary: string };
    expect(created[0]).toMatchObject({ conclusion: "action_required" });
    expect(summary).toContain(
      "Cannot compare with the last approved release: looking it up failed with ThrottlingException, HTTP 400; the execution history in the AWS console shows it.",
    );
    expect(messages()).toContain("could not look up what changed since the last approved release");
  });

  it("creates the check run saying the lookup failed when GitHub's comparison fails", async () => {
    const { handle, messages } = setup();
    const created: JsonBody[] = [];
    const scopes = [
      ...nockPendingApproval(),
      nockExecution(previousExecutionId, base),
      ...nockGitHub(created),
      nockCompare(base, sha, 502),
    ];
    await handle(sqsMessage(snsEnvelope(approvalNotification())));
    expectAllDone(scopes);
    expect((created[0]!.output as { summary: string }).summary).toContain(
      "Cannot compare with the last approved release: looking it up failed with HttpError, HTTP 502; the execution history in the AWS console shows it.",
    );
    expect(messages()).toContain("could not look up what changed since the last approved release");
  });

  it("keeps the comparison when only the commits' subjects and pull requests cannot be read", async () => {
    const { output, messages } = await publishWith(
      { status: "ahead", commits: [{ sha: c1, message: "Add a retry budget", login: "alice" }] },
      500,
    );
    expect(output.summary).toContain("Add a retry budget — @\u200dalice");
    expect(output.summary).not.toContain("**Pull request**");
    expect(messages()).toContain("could not read the commits' subjects and pull requests");
  });

  it("never holds the check run back: a slow comparison is added once it answers", async () => {
    const { handle, messages } = setup(50);
    const created: JsonBody[] = [];
    const patched: JsonBody[] = [];
    const scopes = [
      ...nockPendingApproval(),
      nockExecution(previousExecutionId, base),
      ...nockGitHub(created),
      // GitHub answers the comparison only after the check run was created.
      nockCompare(
        base,
        sha,
        { status: "ahead", commits: [{ sha: c1, message: "Add a retry budget", login: "alice" }] },
        { delayMs: 400 },
      ),
      nockDescribeCommits(describedCommits()),
      // Before writing, the run is read back: still pending, nobody tried to decide.
      githubApi()
        .get(`${repoPath}/check-runs/9001`)
        .reply(200, () => ({ id: 9001, head_sha: sha, ...created[0] })),
      nockUpdateCheckRun(9001, patched),
      githubApi().get(`${repoPath}/check-runs/9001/annotations`).query(true).reply(200, []),
    ];
    await handle(sqsMessage(snsEnvelope(approvalNotification())));
    expectAllDone(scopes);
    expect((created[0]!.output as { summary: string }).summary).not.toContain("What changed");
    expect(patched).toHaveLength(1);
    expect((patched[0]!.output as { summary: string }).summary).toContain(
      "[1 commit](https://github.com/octo-org/service/compare/",
    );
    expect(patched[0]).toMatchObject({ conclusion: "action_required" });
    expect(
      recordOf({ ...patched[0]!, name: created[0]!.name, external_id: created[0]!.external_id })
        ?.changes,
    ).toBeDefined();
    expect(messages()).toContain(
      "what changed since the last approved release was added to the check run",
    );
  });

  it("uses a comparison that answered while the policy was still being read, though the budget ran out", async () => {
    const { handle, messages } = setup(50);
    const created: JsonBody[] = [];
    const scopes = [
      ...nockPendingApproval(),
      nockExecution(previousExecutionId, base),
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      // The policy answers after the budget; the comparison, slower than the budget, before it.
      githubApi()
        .get(`${repoPath}${policyFilePath}`)
        .delay(400)
        .reply(404, { message: "Not Found" }),
      githubApi()
        .get(`/repos/octo-org/.github${policyFilePath}`)
        .reply(404, { message: "Not Found" }),
      nockCreateCheckRun(created),
      nockPullRequestsForCommit(sha, []),
      nockCompare(
        base,
        sha,
        { status: "ahead", commits: [{ sha: c1, message: "Add a retry budget", login: "alice" }] },
        { delayMs: 100 },
      ),
      nockDescribeCommits(describedCommits()),
    ];
    await handle(sqsMessage(snsEnvelope(approvalNotification())));
    expectAllDone(scopes);
    expect((created[0]!.output as { summary: string }).summary).toContain(
      "[1 commit](https://github.com/octo-org/service/compare/",
    );
    expect(messages()).not.toContain(
      "what changed is still being looked up; it will be added to the check run",
    );
  });
});
