import { describe, expect, it } from "vitest";
import { buttonClick } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockPermission,
  nockUpdateCheckRun,
  repo,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockChangeAuthors, nockPolicyFile } from "../helpers/github-policy-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import { createTestProbot, receive } from "../helpers/probot.js";

/**
 * Every input the policy depends on, unreadable or unattributable, refuses the decision: through
 * the button handler, the real config plugin (Probot's octokit.config) and nock. No
 * PutApprovalResult is intercepted unless a test expects one, so a decision let through fails.
 */
function setup() {
  nockInstallationToken();
  return createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date("2026-11-28T12:00:00Z"),
  }).probot;
}

/** What the refusal said, as the annotation of the audit entry carries it (not markdown). */
function refusalOf(update: JsonBody | undefined): string {
  const output = update?.output as { annotations?: { message: string }[] } | undefined;
  return output?.annotations?.[0]?.message ?? "";
}

const policies = { owner: repo.owner, repo: "policies" };

describe("fail closed: an `_extends` that cannot be read", () => {
  it("refuses, naming the extended location, when the extended file is missing (404)", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile("_extends: policies\ndefaults:\n  notify_pr: true\n"),
      nockPolicyFile(null, policies),
      nockPermission("alice", "admin"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(refusalOf(updates[0])).toContain(
      "_extends in octo-org/service:.github/codepipeline-approvals.yml names octo-org/policies:.github/codepipeline-approvals.yml, which cannot be read",
    );
  });

  it("refuses when the owner's .github file extends a file that is gone", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(null),
      nockPolicyFile("_extends: policies:.github/strict.yml\n", { ...repo, repo: ".github" }),
      githubApi()
        .get("/repos/octo-org/policies/contents/.github%2Fstrict.yml")
        .reply(404, { message: "Not Found" }),
      nockPermission("alice", "admin"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(refusalOf(updates[0])).toContain(
      "_extends in octo-org/.github:.github/codepipeline-approvals.yml names octo-org/policies:.github/strict.yml, which cannot be read",
    );
  });
});

describe("fail closed: the change's authors", () => {
  const selfApproval = "defaults:\n  prevent_self_approval: true\n";

  it("refuses when the commit has more authors than one answer lists", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(selfApproval),
      nockPermission("alice", "admin"),
      nockChangeAuthors({ authors: ["carol"], committer: "carol", morePages: true }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(refusalOf(updates[0])).toContain(
      "could not check who authored this change (commit 6dcb09b5b57875f334f61aebed695e2e4193db5e has more authors or pull requests than one answer lists",
    );
  });

  it("refuses a change no GitHub account can be tied to, pushed without a pull request", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(selfApproval),
      nockPermission("alice", "admin"),
      nockChangeAuthors({ authors: [null], committer: null, pulls: [] }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(refusalOf(updates[0])).toContain(
      "this change cannot be attributed: no GitHub account is linked to the email of its commit author, committer, so prevent_self_approval cannot rule out that @alice made it (a policy may accept such changes with unattributed_changes: allow)",
    );
  });

  it("refuses when only a co-author is unknown: they could be the person approving", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(selfApproval),
      nockPermission("alice", "admin"),
      nockChangeAuthors({ authors: ["carol", null], pulls: [{ number: 3, author: "carol" }] }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(refusalOf(updates[0])).toContain("the email of its commit co-author");
  });

  it("approves such a change when the policy sets unattributed_changes: allow", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const put: Record<string, unknown>[] = [];
    const scopes = [
      nockPolicyFile(`${selfApproval}  unattributed_changes: allow\n`),
      nockPermission("alice", "admin"),
      nockChangeAuthors({ authors: [null], committer: null }),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(put[0]).toMatchObject({ result: { status: "Approved" } });
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("still refuses the person who made the change when unattributed_changes: allow", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(`${selfApproval}  unattributed_changes: allow\n`),
      nockPermission("alice", "admin"),
      nockChangeAuthors({ authors: [null, "alice"], committer: null }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(refusalOf(updates[0])).toContain(
      "@alice may not approve a change they took part in (commit co-author)",
    );
  });

  it("rejects an unknown value of unattributed_changes as an invalid policy", async () => {
    const probot = setup();
    const updates: JsonBody[] = [];
    const scopes = [
      nockPolicyFile(`${selfApproval}  unattributed_changes: maybe\n`),
      nockPermission("alice", "admin"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice" }));

    expectAllDone(scopes);
    expect(refusalOf(updates[0])).toContain("defaults.unattributed_changes");
  });
});
