import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { notifyPullRequestsFrom } from "../../src/policy/policy-backed-switches.js";
import { rememberPolicyLoads } from "../../src/policy/remember-policy-loads.js";
import {
  approvalNotification,
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
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPostNotice, nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { nockNoPolicy, nockPolicyFile } from "../helpers/github-policy-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";

/**
 * The check run and the PR notice say who may decide from the moment they appear, from the
 * policy read at intake; the notice's `notify_pr` switch reuses that read. Through the HTTP layer.
 */
function setup() {
  const { log } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  return createQueueMessageHandler({
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    // As production wires it: one policy read per message serves the check run and the notice.
    forEachMessage: () => {
      const load = rememberPolicyLoads(loadPolicy);
      return { readPolicy: load, notifyPullRequests: notifyPullRequestsFrom(load) };
    },
  });
}

/** Everything but the policy: a pending approval, first release, on PR #42's head commit. */
function nockIntake(created: JsonBody[], pulls = [] as { number: number; headSha: string }[]) {
  return [
    nockCodePipeline("GetPipeline", pipelineDefinition()),
    nockCodePipeline("GetPipelineState", pipelineState()),
    nockCodePipeline("GetPipelineExecution", pipelineExecution()),
    nockRepoInstallation(),
    nockInstallationToken(),
    nockListCheckRuns(sha, []),
    nockCreateCheckRun(created),
    nockPullRequestsForCommit(sha, pulls),
  ];
}

/** Requests nothing answered: a second policy read would show up here. */
const unmatched: string[] = [];
const onNoMatch = (request: { method?: string; path?: string }) =>
  unmatched.push(`${request.method} ${request.path}`);
afterEach(() => {
  nock.emitter.off("no match", onNoMatch);
  unmatched.length = 0;
});

async function publish(policy: string | null, pulls: { number: number; headSha: string }[] = []) {
  const handle = setup();
  nock.emitter.on("no match", onNoMatch);
  const created: JsonBody[] = [];
  const policyScopes = policy === null ? nockNoPolicy() : [nockPolicyFile(policy)];
  const scopes = [...nockIntake(created, pulls), ...policyScopes];
  return { handle, created, scopes };
}

describe("who may decide, stated at intake", () => {
  it("states the built-in defaults when the repository has no policy file", async () => {
    const { handle, created, scopes } = await publish(null);

    await handle(sqsMessage(snsEnvelope(approvalNotification())));

    expectAllDone(scopes);
    const { title, summary } = created[0]!.output as { title: string; summary: string };
    expect(title).toBe("Waiting for approval");
    expect(summary).toContain(
      [
        "**Who may decide**",
        "",
        "- **Needs** 1 approval from anyone, with **write** permission or higher.",
        "- **Self-approval** is allowed: the change's authors may approve it too.",
        "- **Decide through** check run buttons, PR comments or commit comments.",
      ].join("\n"),
    );
    expect(summary).not.toContain("Approvals: 0");
  });

  it("states a rule's quorum, users and teams, self-approval, channels and reason rule", async () => {
    const { handle, created, scopes } = await publish(
      [
        "rules:",
        '  - match: "my-service-pipeline/Approval/*"',
        "    required_approvals: 2",
        "    approvers: [alice, octo-org/release]",
        "    min_permission: maintain",
        "    prevent_self_approval: true",
        "    require_reason_on_reject: true",
        "    channels: [buttons, pr_comments]",
      ].join("\n"),
    );

    await handle(sqsMessage(snsEnvelope(approvalNotification())));

    expectAllDone(scopes);
    const { title, summary } = created[0]!.output as { title: string; summary: string };
    expect(title).toBe("Waiting for 2 approvals");
    expect(summary).toContain("**Approvals: 0 of 2**");
    expect(summary).toContain(
      [
        "- **Needs** 2 approvals from @\u200dalice or a member of octo\\-org/release, with **maintain** permission or higher.",
        "- **Self-approval** is not allowed: whoever took part in the change (its commit authors, committer, pull request author or merger) cannot approve it.",
        "- **Decide through** check run buttons or PR comments.",
        "- **Rejecting** needs a reason.",
      ].join("\n"),
    );
  });

  it("says that nobody may decide while the policy file is invalid, and why, and still asks for a decision", async () => {
    const { handle, created, scopes } = await publish("defaults:\n  required_approvals: zero\n");

    await handle(sqsMessage(snsEnvelope(approvalNotification())));

    expectAllDone(scopes);
    expect(created[0]).toMatchObject({ conclusion: "action_required" });
    const { summary } = created[0]!.output as { summary: string };
    expect(summary).toContain(
      "⚠️ Nobody yet: `octo-org/service:.github/codepipeline-approvals.yml` is not a valid policy, and every decision is refused until it is fixed:",
    );
    expect(summary).toMatch(/^- `defaults\.required_approvals: .+`$/m);
  });

  it("says the policy could not be read when GitHub fails to answer for it", async () => {
    const handle = setup();
    const created: JsonBody[] = [];
    const scopes = [
      ...nockIntake(created),
      nock("https://api.github.com")
        .get("/repos/octo-org/service/contents/.github%2Fcodepipeline-approvals.yml")
        .times(4)
        .reply(500, { message: "Server Error" }),
    ];

    await handle(sqsMessage(snsEnvelope(approvalNotification())));

    expectAllDone(scopes.slice(0, -1));
    const { summary } = created[0]!.output as { summary: string };
    expect(summary).toContain(
      "⚠️ The policy file could not be read when this check run was created.",
    );
    expect(summary).not.toContain("**Needs**");
  });

  it("puts who may decide in the PR notice too, naming approvers without pinging them, from the same read", async () => {
    const comments: JsonBody[] = [];
    const { handle, scopes } = await publish(
      "defaults:\n  approvers: [alice, octo-org/release]\n",
      [{ number: 42, headSha: sha }],
    );
    const notice = nockPostNotice(42, comments);

    await handle(sqsMessage(snsEnvelope(approvalNotification())));

    // One policy file read served the check run and the notice switch.
    expectAllDone([...scopes, notice]);
    expect(unmatched).toEqual([]);
    const body = String(comments[0]!.body);
    expect(body).toContain(
      "- **Needs** 1 approval from @\u200dalice or a member of octo\\-org/release, with **write** permission or higher.",
    );
    expect(body).not.toContain("@alice");
  });

  it("posts no notice when the rule turns notify_pr off, from the same read", async () => {
    const { handle, created, scopes } = await publish("defaults:\n  notify_pr: false\n", [
      { number: 42, headSha: sha },
    ]);

    await handle(sqsMessage(snsEnvelope(approvalNotification())));

    expectAllDone(scopes);
    expect(unmatched).toEqual([]);
    expect(created).toHaveLength(1);
  });
});
