import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { handleSqsEvent } from "../../src/lambda/handle-sqs-event.js";
import { handleWebhookEvent } from "../../src/lambda/handle-webhook-event.js";
import { createLambdaRuntime } from "../../src/lambda/lambda-runtime.js";
import {
  actionExecutions,
  approvalNotification,
  pipelineDefinition,
  pipelineState,
  sha,
  snsEnvelope,
} from "../fixtures/codepipeline.js";
import { buttonClick } from "../fixtures/github.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockPermission,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { appId, privateKey, webhookSecret } from "../helpers/probot.js";

// A fresh runtime per test (a cold start): no token cache or decision memory from another test.
let runtime: Awaited<ReturnType<typeof createLambdaRuntime>>;
beforeEach(async () => {
  runtime = await createLambdaRuntime({
    APP_ID: String(appId),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: webhookSecret,
    LOG_LEVEL: "silent",
  });
});

function apiGatewayEvent(payload: unknown, { secret = webhookSecret, base64 = false } = {}) {
  const body = JSON.stringify(payload);
  return {
    version: "2.0",
    routeKey: "POST /webhooks",
    // Header names in mixed case, as a REST API (payload 1.0) passes them through.
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Event": "check_run",
      "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "X-Hub-Signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body: base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: base64,
  };
}

describe("Lambda webhook handler", () => {
  it("verifies a base64-encoded body and decides through the same path as the server", async () => {
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
      nockPullRequestsForCommit(sha, []),
    ];

    const result = await handleWebhookEvent(
      runtime.probot,
      apiGatewayEvent(buttonClick(), { base64: true }),
    );

    expect(result.statusCode).toBe(200);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(put[0]).toMatchObject({ result: { status: "Approved" } });
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("refuses a badly signed event with 400 and no side effect", async () => {
    const anyGitHub = githubApi().persist().post(/.*/).reply(200, {}).patch(/.*/).reply(200, {});
    const result = await handleWebhookEvent(
      runtime.probot,
      apiGatewayEvent(buttonClick(), { secret: "wrong" }),
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain("signature does not match");
    expect(anyGitHub.isDone()).toBe(false);
  });

  it("answers 500 when the app's handler fails on a GitHub 400, so GitHub can redeliver", async () => {
    nockInstallationToken();
    nockNoPolicy();
    nockPermission("alice", "write");
    nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 });
    // The check run update is refused with 400: the handler fails with Octokit's RequestError
    // (status 400), which @octokit/webhooks wraps in an AggregateError.
    const refused = githubApi()
      .patch(`${repoPath}/check-runs/9001`)
      .reply(400, { message: "Invalid request" });

    const result = await handleWebhookEvent(runtime.probot, apiGatewayEvent(buttonClick()));

    expect(refused.isDone()).toBe(true);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain("Invalid request");
  });

  it("answers 400 to a correctly signed body that is not JSON, without running the app", async () => {
    const anyGitHub = githubApi().persist().post(/.*/).reply(200, {});
    const event = apiGatewayEvent(buttonClick());
    const body = "{truncated";
    event.body = body;
    event.headers["X-Hub-Signature-256"] =
      `sha256=${createHmac("sha256", webhookSecret).update(body).digest("hex")}`;

    const result = await handleWebhookEvent(runtime.probot, event);

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain("JSON");
    expect(anyGitHub.isDone()).toBe(false);
  });

  it("answers 400 to an event without GitHub's headers", async () => {
    const result = await handleWebhookEvent(runtime.probot, { headers: {}, body: "{}" });
    expect(result).toMatchObject({ statusCode: 400 });
  });
});

describe("Lambda SQS handler", () => {
  it("reports only the failed messages of a batch (partial batch failure)", async () => {
    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockCodePipeline(
      "GetPipelineState",
      pipelineState({ pendingToken: "11111111-2222-4333-8444-555555555555" }),
    );
    // The stale token's run, looked for to close a check run left pending: none holds it.
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "InProgress", token: "11111111-2222-4333-8444-555555555555" }]),
    );
    const result = await handleSqsEvent(runtime.handleMessage, runtime.probot.log, {
      Records: [
        {
          messageId: "good",
          receiptHandle: "r1",
          body: JSON.stringify(snsEnvelope(approvalNotification())),
        },
        { messageId: "poison", receiptHandle: "r2", body: "{truncated" },
      ],
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "poison" }] });
  });

  it("fails the invocation for an event that is not an SQS batch", async () => {
    await expect(
      handleSqsEvent(runtime.handleMessage, runtime.probot.log, { nope: true }),
    ).rejects.toThrow(/not an SQS event/);
  });
});
