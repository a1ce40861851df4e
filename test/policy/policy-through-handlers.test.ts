import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/presentation/escape-markdown.js";
import { sha } from "../fixtures/codepipeline.js";
import { buttonClick } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  nockInstallationToken,
  nockPermission,
  nockUpdateCheckRun,
  repo,
  type JsonBody,
} from "../helpers/github-api.js";
import {
  nockChangeAuthors,
  nockPolicyFile,
  nockTeamMembership,
} from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

const orgRepo = { owner: repo.owner, repo: ".github" };

function setup() {
  nockInstallationToken();
  return createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date("2026-11-28T12:00:00Z"),
  }).probot;
}

function textOf(update: JsonBody | undefined): string {
  return String((update?.output as JsonBody | undefined)?.text);
}

function annotationsOf(update: JsonBody | undefined): JsonBody[] {
  return ((update?.output as JsonBody | undefined)?.annotations as JsonBody[] | undefined) ?? [];
}

/** Any PutApprovalResult would fail these tests: none is intercepted. */
describe("the policy, through the button handler", () => {
  it("applies a policy file from the organization's .github repository", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(null),
      nockPolicyFile("defaults:\n  min_permission: admin\n", orgRepo),
      nockPermission("alice", "write"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(textOf(updates[0])).toContain(
      escapeMarkdown("@alice has write permission; deciding needs admin or higher"),
    );
  });

  it("refuses every decision while the file is invalid, quoting zod's path and message", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile("rules:\n  - match: my-service-pipeline/*/*\n    required_approvals: 0\n"),
      nockPermission("alice", "admin"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    const problem =
      "the policy file is invalid: rules.0.required_approvals: Too small: expected number to be >=1 (in octo-org/service:.github/codepipeline-approvals.yml)";
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(textOf(updates[0])).toContain(escapeMarkdown(problem));
    expect(annotationsOf(updates[0])).toEqual([
      expect.objectContaining({
        annotation_level: "warning",
        message: expect.stringContaining(problem),
      }),
    ]);
  });

  it("refuses when a team lookup fails (fails closed)", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile("defaults:\n  approvers: [octo-org/release]\n"),
      nockPermission("bob", "write"),
      nockTeamMembership("octo-org/release", "bob", 500),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "bob" }));

    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(textOf(updates[0])).toContain(
      escapeMarkdown("could not check whether @bob is in octo-org/release (HTTP 500)"),
    );
  });

  it("refuses someone who is not in the approvers' team", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    nockPolicyFile("defaults:\n  approvers: [octo-org/release]\n");
    nockPermission("bob", "write");
    nockTeamMembership("octo-org/release", "bob", 404);
    nockUpdateCheckRun(9001, updates);

    await receive(probot, "check_run", buttonClick({ login: "bob" }));

    expect(textOf(updates[0])).toContain(escapeMarkdown("@bob is not in octo-org/release"));
  });

  it("lets a member of the approvers' team approve", async () => {
    const probot = setup();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile("defaults:\n  approvers: [octo-org/release]\n"),
      nockPermission("bob", "write"),
      nockTeamMembership("octo-org/release", "bob", "active"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "bob" }));

    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(put[0]).toMatchObject({
      result: { status: "Approved", summary: "Approved via GitHub by @bob (check run button)" },
    });
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("refuses self-approval with a clear message, naming how the person took part", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const queries: JsonBody[] = [];
    const scopes = [
      nockPolicyFile("defaults:\n  prevent_self_approval: true\n"),
      nockPermission("alice", "admin"),
      nockChangeAuthors(
        {
          authors: ["carol"],
          committer: "web-flow",
          pulls: [{ number: 12, author: "alice", mergedBy: "dave" }],
        },
        queries,
      ),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(queries[0]?.variables).toEqual({ owner: repo.owner, repo: repo.repo, sha });
    const message =
      "@alice may not approve a change they took part in (author of pull request #12): prevent_self_approval requires someone else";
    expect(textOf(updates[0])).toContain(escapeMarkdown(message));
    expect(annotationsOf(updates[0])[0]?.message).toContain(message);
  });
});
