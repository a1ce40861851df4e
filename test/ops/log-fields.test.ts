import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import { startBridge, type Bridge } from "../../src/start-bridge.js";
import {
  approvalNotification,
  executionId,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  snsEnvelope,
} from "../fixtures/codepipeline.js";
import { buttonClick } from "../fixtures/github.js";
import { postWebhook, testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockListCheckRuns,
  nockPermission,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repo,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { duplicateKeys } from "./duplicate-keys.js";

/**
 * The log of one approval's whole life through the running bridge (intake from a real SQS protocol
 * server, a click on the real HTTP server), as raw JSON lines: what docs/operations.md promises an
 * operator can follow.
 */
let bridge: Bridge | undefined;
afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
});

/** pino writing raw lines, so a key written twice is visible (JSON.parse would keep only one). */
function rawLog() {
  const raw: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => raw.push(line) });
  return { log, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the log of an approval's life", () => {
  it("names repository, commit, check run, execution and delivery or message on every intake and decision line", async () => {
    const sqsServer = await startLocalSqs();
    try {
      const queueUrl = await sqsServer.createQueue();
      const { log, raw, lines } = rawLog();
      bridge = await startBridge(
        testConfig({
          queue: {
            url: queueUrl,
            region: "us-east-1",
            batchSize: 10,
            maxInHand: 10,
            visibilityTimeoutSeconds: 30,
            waitTimeSeconds: 1,
          },
        }),
        {
          Octokit: createGitHubOctokit(),
          pipelines: createTestPipelineGateway(),
          sqs: sqsServer.sqs,
          log,
        },
      );

      // Intake: the notification becomes a check run; the pull request lookup is refused (403).
      nockCodePipeline("GetPipelineState", pipelineState());
      nockCodePipeline("GetPipelineExecution", pipelineExecution());
      nockCodePipeline("GetPipeline", pipelineDefinition());
      nockRepoInstallation();
      nockInstallationToken();
      // Intake reads the policy, to show who may decide (none here: the defaults).
      nockNoPolicy();
      nockListCheckRuns(sha, []);
      githubApi().post(`${repoPath}/check-runs`).reply(201, { id: 9001, head_sha: sha });
      // A slow intake (a loaded machine) looks at its new check run once more: nothing to add.
      githubApi()
        .get(`${repoPath}/commits/${sha}/check-runs`)
        .query(true)
        .optionally()
        .reply(200, { total_count: 0, check_runs: [] });
      githubApi()
        .get(`${repoPath}/commits/${sha}/pulls`)
        .query(true)
        .reply(403, { message: "Resource not accessible by integration" });
      await sqsServer.send(queueUrl, JSON.stringify(snsEnvelope(approvalNotification())));
      await waitFor(() => lines().some((l) => l.msg === "approval check run created"));

      // Decision: a click on the check run's Approve button.
      const updates: JsonBody[] = [];
      nockInstallationToken();
      nockNoPolicy();
      nockPermission("alice", "maintain");
      nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 });
      nockUpdateCheckRun(9001, updates);
      githubApi().get(`${repoPath}/commits/${sha}/pulls`).query(true).reply(200, []);
      const response = await postWebhook(bridge.port, "check_run", buttonClick());
      expect(response.status).toBe(200);
      await waitFor(() => lines().some((l) => l.msg === "approval decided"));

      const all = lines();
      const repository = `${repo.owner}/${repo.repo}`;
      const intake = all.filter((l) => l.messageId !== undefined && l.commit !== undefined);
      expect(intake.map((l) => l.msg)).toEqual(
        expect.arrayContaining(["approval check run created"]),
      );
      for (const line of intake) {
        expect(line).toMatchObject({
          repository,
          commit: sha,
          executionId,
          messageId: expect.any(String),
        });
      }
      expect(intake.find((l) => l.msg === "approval check run created")).toMatchObject({
        checkRunId: 9001,
      });

      const decision = all.filter((l) => l.deliveryId !== undefined);
      expect(decision.map((l) => l.msg)).toEqual(expect.arrayContaining(["approval decided"]));
      for (const line of decision) {
        expect(line).toMatchObject({
          deliveryId: expect.any(String),
          event: "check_run.requested_action",
          repository,
          commit: sha,
          checkRunId: 9001,
          executionId,
        });
      }

      // The refused pull request lookup: the error's name, status and message, no HTTP objects.
      const warning = all.find(
        (l) => l.msg === "could not post the approval notice on the pull request",
      );
      expect(warning).toMatchObject({
        msg: "could not post the approval notice on the pull request",
        checkRunId: 9001,
        messageId: expect.any(String),
        error: {
          name: "HttpError",
          status: 403,
          message: expect.stringContaining("not accessible"),
        },
      });
      expect(JSON.stringify(all)).not.toMatch(/"(request|response|headers|\$response)":/);
      expect(all.filter((l) => "err" in l)).toEqual([]);

      // Every line, Probot's debug request lines ("GitHub request: …") included, binds each key
      // once: Probot's loggers bind `name` on each child (probot, event, octokit, github).
      // A request body's own `name` (the check run's) stays inside `body`.
      expect(
        all.find(
          (l) =>
            l.msg === `GitHub request: POST https://api.github.com${repoPath}/check-runs - 201`,
        ),
      ).toMatchObject({ name: "github", body: { name: expect.stringContaining("CodePipeline") } });
      expect(raw.flatMap((line) => duplicateKeys(line).map((key) => `${key} in ${line}`))).toEqual(
        [],
      );
    } finally {
      await bridge?.stop();
      bridge = undefined;
      await sqsServer.stop();
    }
  });
});
