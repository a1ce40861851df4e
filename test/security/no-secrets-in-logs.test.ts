import { afterEach, describe, expect, it } from "vitest";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import { startBridge, type Bridge } from "../../src/start-bridge.js";
import {
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  token,
} from "../fixtures/codepipeline.js";
import { buttonClick } from "../fixtures/github.js";
import { postWebhook, testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockPermission,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repo,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import { createTestLog, privateKey, webhookSecret } from "../helpers/probot.js";

let bridge: Bridge | undefined;
afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
});

/** The installation token GitHub hands out in this test; a credential like the approval token. */
const installationToken = "ghs_test";

describe("logs carry no secret", () => {
  it("never logs the approval token or a credential at debug level, from intake to decision", async () => {
    const sqsServer = await startLocalSqs();
    const { log, lines } = createTestLog();
    try {
      const queueUrl = await sqsServer.createQueue({ VisibilityTimeout: "30" });
      const created: JsonBody[] = [];
      const updates: JsonBody[] = [];
      const intake = [
        nockCodePipeline("GetPipeline", pipelineDefinition()),
        nockCodePipeline("GetPipelineState", pipelineState()),
        nockCodePipeline("GetPipelineExecution", pipelineExecution()),
        nockRepoInstallation(),
        nockInstallationToken(),
        // Who may decide, read before the check run is created (issue 16).
        ...nockNoPolicy(),
        nockListCheckRuns(sha, []),
        nockCreateCheckRun(created),
        nockPullRequestsForCommit(sha, []),
      ];
      await sqsServer.send(queueUrl, JSON.stringify(approvalNotification()));

      bridge = await startBridge(
        testConfig({
          logLevel: "debug",
          queue: {
            url: queueUrl,
            region: "us-east-1",
            batchSize: 1,
            maxInHand: 10,
            visibilityTimeoutSeconds: 30,
            waitTimeSeconds: 1,
          },
        }),
        {
          // The production client: its request log is what must not leak.
          Octokit: createGitHubOctokit({ maxTransientRetries: 0 }),
          pipelines: createTestPipelineGateway(),
          sqs: sqsServer.sqs,
          log,
        },
      );
      await waitFor(() => created.length === 1);
      await waitFor(() => intake.every((scope) => scope.isDone()));

      const checkRun = { id: 9001, head_sha: sha, app: { id: 4242 }, ...created[0] };
      // The installation token from intake is still valid, so the webhook's client reuses it.
      const decision = [
        ...nockNoPolicy(),
        nockPermission("alice", "write"),
        nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }),
        nockUpdateCheckRun(9001, updates),
        nockPullRequestsForCommit(sha, []),
      ];
      const response = await postWebhook(bridge.port, "check_run", buttonClick({ checkRun }));
      expect(response.status).toBe(200);
      await waitFor(() => decision.every((scope) => scope.isDone()));
      expectAllDone(decision);
      expect(updates[0]).toMatchObject({ conclusion: "success" });
      await bridge.stop();
      bridge = undefined;
    } finally {
      await sqsServer.stop();
    }

    const logged = lines.map((line) => JSON.stringify(line));
    // The request log ran at debug: without it this test would prove nothing.
    expect(
      logged.some((line) => line.includes(`/repos/${repo.owner}/${repo.repo}/check-runs`)),
    ).toBe(true);
    const secrets = [token, installationToken, webhookSecret, privateKey.split("\n")[1]!];
    for (const secret of secrets) {
      expect(logged.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});

describe("errors carry no secret", () => {
  it("hides the token in a failed request's body, where the error is logged whole", async () => {
    const { log, lines } = createTestLog();
    const Octokit = createGitHubOctokit({ maxTransientRetries: 0 });
    const octokit = new Octokit({ auth: "ghs_secret", log });
    githubApi().patch(`${repoPath}/check-runs/9001`).reply(422, { message: "Validation Failed" });

    const error = await octokit.rest.checks
      .update({ ...repo, check_run_id: 9001, external_id: JSON.stringify({ token }) })
      .catch((caught: unknown) => caught);
    log.error({ err: error }, "could not update the check run");

    const logged = lines.map((line) => JSON.stringify(line));
    expect(logged.some((line) => line.includes("could not update the check run"))).toBe(true);
    expect(logged.filter((line) => line.includes(token) || line.includes("ghs_secret"))).toEqual(
      [],
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
