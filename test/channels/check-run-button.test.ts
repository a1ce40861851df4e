import { describe, expect, it } from "vitest";
import { actionExecutions, token } from "../fixtures/codepipeline.js";
import { approvalCheckRun, buttonClick } from "../fixtures/github.js";
import {
  createTestPipelineGateway,
  nockCodePipeline,
  nockCodePipelineError,
} from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockPermission,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

const decidedAt = 1764331200.5; // 2025-11-28T12:00:00.500Z

/**
 * Every decision by a person reads the policy file: none in the repository, none in the owner's
 * `.github` repository, so the defaults apply (write permission, one approval). Tests in which
 * nothing may be called pass `policy: false`.
 */
function setup(now = new Date("2026-11-28T12:00:00Z"), { policy = true } = {}) {
  nockInstallationToken();
  if (policy) nockNoPolicy();
  return createTestProbot({ pipelines: createTestPipelineGateway(), now: () => now });
}

function nockPut(requests: Record<string, unknown>[] = []) {
  return nockCodePipeline("PutApprovalResult", { approvedAt: decidedAt }, { requests });
}

describe("check run buttons", () => {
  it("approves: one PutApprovalResult with the token, then a success check run without buttons", async () => {
    const { probot } = setup();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockPermission("alice", "write"),
      nockPut(put),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ identifier: "approve" }));

    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(put).toEqual([
      {
        pipelineName: "my-service-pipeline",
        stageName: "Approval",
        actionName: "ManualApproval",
        token,
        result: { status: "Approved", summary: "Approved via GitHub by @alice (check run button)" },
      },
    ]);
    expect(updates[0]).toMatchObject({
      conclusion: "success",
      actions: [],
      output: { title: "Approved by @alice" },
    });
    expect(String((updates[0]!.output as JsonBody).summary)).toContain("2025-11-28 12:00 UTC");
  });

  it("rejects through Request changes with a failure conclusion", async () => {
    const { probot } = setup();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    nockPermission("alice", "admin");
    nockPut(put);
    nockUpdateCheckRun(9001, updates);

    await receive(probot, "check_run", buttonClick({ identifier: "reject" }));

    expect(put[0]).toMatchObject({ result: { status: "Rejected" } });
    expect(updates[0]).toMatchObject({
      conclusion: "failure",
      actions: [],
      output: { title: "Rejected by @alice" },
    });
  });

  it("refuses a click from a read-only collaborator and keeps the approval pending", async () => {
    const { probot } = setup();
    const updates: JsonBody[] = [];
    nockPermission("rita", "read");
    nockUpdateCheckRun(9001, updates);

    await receive(probot, "check_run", buttonClick({ login: "rita" }));

    // No PutApprovalResult was intercepted: had one been made, nock would have failed the request.
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect((updates[0]!.actions as unknown[]).length).toBe(2);
    expect(String((updates[0]!.output as JsonBody).text)).toMatch(
      /@\u200drita \| check run button \| approve \| refused \| @\u200drita has read permission; deciding needs write or higher/,
    );
  });

  it("treats triage as below write, using the role name", async () => {
    const { probot } = setup();
    const updates: JsonBody[] = [];
    nockPermission("tom", "read", "triage");
    nockUpdateCheckRun(9001, updates);
    await receive(probot, "check_run", buttonClick({ login: "tom" }));
    expect(String((updates[0]!.output as JsonBody).text)).toContain("has triage permission");
  });

  it("refuses a bot without asking for its permission", async () => {
    const { probot } = setup(undefined, { policy: false });
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await receive(probot, "check_run", buttonClick({ login: "deploy-bot[bot]", type: "Bot" }));
    expect(String((updates[0]!.output as JsonBody).text)).toContain(
      "bots and apps may not decide approvals",
    );
  });

  it("refuses (fails closed) when the permission cannot be read", async () => {
    const { probot } = setup();
    const updates: JsonBody[] = [];
    githubApi()
      .get("/repos/octo-org/service/collaborators/alice/permission")
      .reply(500, { message: "boom" });
    nockUpdateCheckRun(9001, updates);
    await receive(probot, "check_run", buttonClick());
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(String((updates[0]!.output as JsonBody).text)).toContain("could not check permissions");
  });

  it("ignores clicks on another app's check runs", async () => {
    const { probot } = setup(undefined, { policy: false });
    // Nothing is intercepted: any call would fail.
    await receive(
      probot,
      "check_run",
      buttonClick({ checkRun: { ...approvalCheckRun(), app: { id: 1 } } }),
    );
  });

  it("applies two simultaneous clicks once", async () => {
    const { probot } = setup();
    // Both clicks are authorized side by side (reads); the decisions themselves run one at a time.
    nockNoPolicy();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    nockPermission("alice", "write");
    nockPermission("bob", "write");
    nockPut(put);
    nockUpdateCheckRun(9001, updates);

    await Promise.all([
      receive(probot, "check_run", buttonClick({ login: "alice" })),
      receive(probot, "check_run", buttonClick({ login: "bob", identifier: "reject" })),
    ]);

    expect(put).toHaveLength(1);
    expect(updates).toHaveLength(1);
  });

  describe("when CodePipeline no longer takes the token", () => {
    it.each([
      [
        "ApprovalAlreadyCompletedException",
        {
          status: "Succeeded",
          summary: "ok from console",
          updatedBy: "arn:aws:iam::123456789012:user/ops",
        },
        "success",
        "Approved outside GitHub",
      ],
      [
        "InvalidApprovalTokenException",
        { status: "Failed" },
        "timed_out",
        "Expired without a decision",
      ],
      [
        "InvalidApprovalTokenException",
        { status: "Abandoned" },
        "cancelled",
        // CodePipeline names no newer execution here, so the check run does not claim one.
        "Closed without a decision",
      ],
      [
        "InvalidApprovalTokenException",
        { status: "Failed", summary: "no, from console" },
        "failure",
        "Rejected outside GitHub",
      ],
    ])("after %s, reads the state and shows %j as %s", async (error, state, conclusion, title) => {
      const { probot } = setup(new Date("2026-12-06T00:00:00Z"));
      const updates: JsonBody[] = [];
      nockPermission("alice", "write");
      nockCodePipelineError("PutApprovalResult", error);
      nockCodePipeline("ListActionExecutions", actionExecutions([state]));
      nockUpdateCheckRun(9001, updates);

      await receive(probot, "check_run", buttonClick());

      expect(updates[0]).toMatchObject({ conclusion, actions: [], output: { title } });
    });

    it.each([
      // E.g. a timed-out attempt the SDK sent again: CodePipeline recorded the first one.
      ["its own answer, applied although the reply was lost", "@alice", "Approved by @alice"],
      ["another person's identical verdict", "@bob", "Approved via GitHub"],
    ])("after ApprovalAlreadyCompleted, tells %s apart", async (_case, recorded, title) => {
      const { probot } = setup();
      const updates: JsonBody[] = [];
      nockPermission("alice", "write");
      nockCodePipelineError("PutApprovalResult", "ApprovalAlreadyCompletedException");
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([
          { status: "Succeeded", summary: `Approved via GitHub by ${recorded} (check run button)` },
        ]),
      );
      nockUpdateCheckRun(9001, updates);

      await receive(probot, "check_run", buttonClick());

      expect(updates[0]).toMatchObject({ conclusion: "success", actions: [], output: { title } });
    });

    it.each([
      ["ActionNotFoundException", "action"],
      ["StageNotFoundException", "stage"],
      ["PipelineNotFoundException", "pipeline"],
    ])("after %s, says the %s no longer exists", async (error, what) => {
      const { probot } = setup();
      const updates: JsonBody[] = [];
      nockPermission("alice", "write");
      nockCodePipelineError("PutApprovalResult", error);
      nockUpdateCheckRun(9001, updates);

      await receive(probot, "check_run", buttonClick());

      expect(updates[0]).toMatchObject({
        conclusion: "neutral",
        actions: [],
        output: { title: `The ${what} no longer exists` },
      });
    });
  });

  it("keeps the approval pending and says so when CodePipeline fails", async () => {
    const { probot } = setup();
    const updates: JsonBody[] = [];
    nockPermission("alice", "write");
    nockCodePipelineError("PutApprovalResult", "ThrottlingException");
    nockUpdateCheckRun(9001, updates);

    await receive(probot, "check_run", buttonClick());

    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(String((updates[0]!.output as JsonBody).text)).toContain(
      "CodePipeline did not take the decision \\(ThrottlingException\\)",
    );
  });

  it("does not call AWS again for a check run already decided", async () => {
    const { probot } = setup(undefined, { policy: false });
    const decided = approvalCheckRun();
    const record = decided.output.text;
    const closed = record.replace(
      '"resolution":{"kind":"pending"}',
      '"resolution":{"kind":"expired"}',
    );
    // Nothing is intercepted: neither a permission check nor AWS may be called.
    await receive(
      probot,
      "check_run",
      buttonClick({ checkRun: { ...decided, output: { ...decided.output, text: closed } } }),
    );
  });
});
