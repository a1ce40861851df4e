import { afterEach, describe, expect, it } from "vitest";
import { tokenOfExternalId } from "../../src/approvals/check-run-record.js";
import { composeBridge } from "../../src/compose-bridge.js";
import { approvalNotification, snsEnvelope, sqsMessage } from "../fixtures/codepipeline.js";
import { pullRequestComment } from "../fixtures/comments.js";
import { buttonClick } from "../fixtures/github.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import type { JsonBody } from "../helpers/github-api.js";
import { appId, createTestLog, receive, TestOctokit } from "../helpers/probot.js";
import { stateChangeEvent } from "../lifecycle/state-change-fixtures.js";
import { recordApiCalls } from "./record-api-calls.js";

/**
 * The regression guard for issue 7: what one approval costs in API calls, by operation, from the
 * notification to the decision. Not timed: a change that adds (or saves) a call changes a count
 * here, and the README, "Performance" says why each call is needed.
 */
let recorder: ReturnType<typeof recordApiCalls> | undefined;
afterEach(() => {
  recorder?.stop();
  recorder = undefined;
});

async function setup() {
  recorder = recordApiCalls();
  // Wired exactly as production wires it (server and Lambda alike): one Probot, so one token cache.
  const { probot, app, handleMessage } = await composeBridge(testConfig(), {
    pipelines: createTestPipelineGateway(),
    Octokit: TestOctokit,
    log: createTestLog().log,
  });
  await probot.load(app);
  const api = recorder;

  let commentId = 700;
  /**
   * After the decision CodePipeline emits the action's terminal state change, which the template's
   * EventBridge rule puts on the same queue: the calls it costs.
   */
  const terminalEvent = async () => {
    await handleMessage(sqsMessage(stateChangeEvent("SUCCEEDED")));
    expect(api.unexpected).toEqual([]);
    return api.take();
  };
  /** notification → check run → a click on Approve (or a `/approve`); the calls of each half. */
  const lifecycle = async function (
    token: string,
    decideBy: "button" | "comment" | "refusal" = "button",
  ) {
    api.pending(token);
    await handleMessage(sqsMessage(snsEnvelope(approvalNotification({ token }))));
    const created = api.checkRuns.find(
      (run) => tokenOfExternalId(String(run.external_id)) === token,
    );
    expect(created, "intake created the check run").toBeDefined();
    const intakeCalls = api.take();

    if (decideBy !== "comment") {
      await receive(
        probot,
        "check_run",
        buttonClick({
          checkRun: checkRunAsGitHubSends(created!),
          ...(decideBy === "refusal" ? { login: "reader" } : {}),
        }),
      );
    } else {
      commentId += 1;
      await receive(probot, "issue_comment", pullRequestComment({ body: "/approve", commentId }));
    }
    const decisionCalls = api.take();
    expect(api.unexpected).toEqual([]);
    return { intake: intakeCalls, decision: decisionCalls };
  };
  return Object.assign(lifecycle, { terminalEvent });
}

/** The check run the webhook carries: as intake created it, with GitHub's fields. */
function checkRunAsGitHubSends(created: JsonBody) {
  return {
    id: created.id,
    name: created.name,
    head_sha: created.head_sha,
    external_id: created.external_id,
    status: "completed",
    conclusion: created.conclusion,
    html_url: created.html_url,
    started_at: created.started_at,
    details_url: created.details_url,
    output: created.output,
    app: { id: appId, slug: "codepipeline-approvals" },
    pull_requests: [],
  };
}

const firstToken = "0c35520a-b7e6-403d-ba3f-e02120b524c3";
const secondToken = "1d46631b-c8f7-414e-8b04-f13231c635d4";

/** Calls every lifecycle makes, however warm the caches: see docs/performance.md. */
const intakeEveryTime = {
  // The policy file's `notify_pr`: in the repository, then in <owner>/.github.
  "github repos.getContent": 2,
  "codepipeline GetPipelineState": 1,
  "codepipeline GetPipelineExecution": 1,
  // Before creating (a redelivery finds the run), and after: the lowest id among this app's runs
  // for the token is the live one, so two replicas that both created agree which stays
  // (src/intake/publish-approval.ts, issue 14).
  "github checks.listForRef": 2,
  "github checks.create": 1,
  "github repos.listPullRequestsAssociatedWithCommit": 1,
  "github issues.createComment": 1,
  // After posting the notice: the lowest comment id is the one notice kept (ensure-notices.ts).
  "github issues.listComments": 1,
  // What changed since the last approved release (issue 16): the approval action's runs, GitHub's
  // comparison, and one GraphQL query naming the commits and their pull requests. No write: the
  // section is part of the check run as it is created.
  "codepipeline ListActionExecutions": 1,
  "github repos.compareCommitsWithBasehead": 1,
  "github graphql": 1,
};
const decisionEveryTime = {
  // The policy file, read fresh at every decision: in the repository, then in <owner>/.github.
  "github repos.getContent": 2,
  "github repos.getCollaboratorPermissionLevel": 1,
  "codepipeline PutApprovalResult": 1,
  "github checks.update": 1,
  "github repos.listPullRequestsAssociatedWithCommit": 1,
  "github issues.listComments": 1,
  "github issues.updateComment": 1,
};

describe("API calls per approval lifecycle (notification → check run → button or comment → state change)", () => {
  it("costs, with cold caches, the warm calls plus one pipeline definition, one installation lookup and one token", async () => {
    const lifecycle = await setup();

    const cold = await lifecycle(firstToken);

    expect(cold.intake).toEqual(
      sorted({
        ...intakeEveryTime,
        "codepipeline GetPipeline": 1,
        // The last approved execution's commit, cached per approval action from then on.
        "codepipeline GetPipelineExecution": 2,
        "github apps.getRepoInstallation": 1,
        "github apps.createInstallationAccessToken": 1,
      }),
    );
    // The webhook's client shares the installation token intake fetched.
    expect(cold.decision).toEqual(sorted(decisionEveryTime));
  });

  it("costs, with warm caches, exactly the calls every approval needs: 13 to publish and 8 to decide", async () => {
    const lifecycle = await setup();
    await lifecycle(firstToken);

    const warm = await lifecycle(secondToken);

    expect(warm.intake).toEqual(sorted(intakeEveryTime));
    expect(warm.decision).toEqual(sorted(decisionEveryTime));
    // 10 on main (8, plus the two check-run listings of issue 14); the 3 reads of "what changed"
    // (issue 16) are the only addition, and no write.
    expect(total(warm.intake)).toBe(13);
    expect(total(warm.decision)).toBe(8);
  });

  it("costs, decided with a /approve comment, 6 more calls to decide: 14", async () => {
    const lifecycle = await setup();
    await lifecycle(firstToken);

    const warm = await lifecycle(secondToken, "comment");

    expect(warm.intake).toEqual(sorted(intakeEveryTime));
    expect(warm.decision).toEqual(
      sorted({
        ...decisionEveryTime,
        // The search for an earlier answer (a redelivered webhook), then the notice to edit.
        "github issues.listComments": 2,
        "github reactions.createForIssueComment": 1,
        "github pulls.get": 1,
        // The pull request's head commit and its merge commit.
        "github checks.listForRef": 2,
        // The reply.
        "github issues.createComment": 1,
      }),
    );
    expect(total(warm.decision)).toBe(14);
    const reply = recorder!.comments.at(-1)!;
    expect(reply.body).toContain("comment-701");
    expect(recorder!.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });
  });

  it("costs, for a refusal, one read of the annotation log after its write: 5", async () => {
    const lifecycle = await setup();
    await lifecycle(firstToken);

    const warm = await lifecycle(secondToken, "refusal");

    expect(warm.decision).toEqual(
      sorted({
        "github repos.getContent": 2,
        "github repos.getCollaboratorPermissionLevel": 1,
        "github checks.update": 1,
        // The refusal leaves the run pending: the log is read for a decision another replica may
        // have recorded meanwhile, which the refusal's PATCH would hide (closed is absorbing).
        "github checks.listAnnotations": 1,
      }),
    );
    expect(recorder!.checkRuns.at(-1)).toMatchObject({ conclusion: "action_required" });
  });

  it("costs, for the state-change event that follows the decision, 4 reads and no write", async () => {
    const lifecycle = await setup();
    // One lifecycle: its execution then has one check run, and the caches are warm.
    await lifecycle(firstToken);

    const event = await lifecycle.terminalEvent();

    expect(event).toEqual(
      sorted({
        // The event names the execution, not the commit.
        "codepipeline GetPipelineExecution": 1,
        // The execution's check run, closed by the decision: no CodePipeline read for its state.
        "github checks.listForRef": 1,
        // The notices are brought in line at every event (one the decision failed to edit is
        // repaired: test/notices/notice-follows-pipeline.test.ts); these already show the
        // outcome, so nothing is written.
        "github repos.listPullRequestsAssociatedWithCommit": 1,
        "github issues.listComments": 1,
      }),
    );
    expect(recorder!.checkRuns.every((run) => run.conclusion === "success")).toBe(true);
  });

  it("decides the approval it published: the counts above are those of a successful lifecycle", async () => {
    const lifecycle = await setup();
    await lifecycle(firstToken);
    const [checkRun] = recorder!.checkRuns;
    const notice = recorder!.comments[0]!;

    // Created waiting for a decision (action_required), then closed by the click.
    expect(checkRun).toMatchObject({ status: "completed", conclusion: "success" });
    // The reads above were not wasted: the check run says what changed, from its creation on.
    const { summary } = (checkRun as { output: { summary: string } }).output;
    expect(summary).toContain("since the last approved release");
    expect(notice.body).toContain("Approved");
  });
});

function sorted(calls: Record<string, number>) {
  return Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)));
}

function total(calls: Record<string, number>) {
  return Object.values(calls).reduce((sum, count) => sum + count, 0);
}
