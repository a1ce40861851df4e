import { afterEach, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../../src/start-bridge.js";
import {
  actionExecutions,
  pipelineDefinition,
  pipelineExecution,
} from "../fixtures/codepipeline.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockRepoInstallation,
  type JsonBody,
} from "../helpers/github-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { createTestLog, TestOctokit } from "../helpers/probot.js";
import {
  checkRunOf,
  nockCheckRunsOf,
  nockCodePipelineWhen,
  stateChangeEvent,
} from "../lifecycle/state-change-fixtures.js";
import { waitFor } from "./queue-harness.js";

const executions = [1, 2, 3, 4].map(
  (n) => `${n}${n}${n}${n}${n}${n}${n}${n}-7afe-43c2-a5e7-778ad1763485`,
);
const shaOf = (n: number) => String(n).repeat(40);

let bridge: Bridge | undefined;
let sqsServer: Awaited<ReturnType<typeof startLocalSqs>> | undefined;
afterEach(async () => {
  await bridge?.stop();
  await sqsServer?.stop();
  bridge = undefined;
  sqsServer = undefined;
});

/** Everything the event of execution `n` reads; its check run is 900n on commit n…n. */
function nockExecution(n: number) {
  const execution = executions[n - 1]!;
  nockCodePipelineWhen(
    "GetPipelineExecution",
    (body) => body.pipelineExecutionId === execution,
    pipelineExecution([{ name: "SourceArtifact", revisionId: shaOf(n) }]),
  );
  nockCheckRunsOf([checkRunOf({ id: 9000 + n, execution })], [], shaOf(n));
  nockCodePipelineWhen(
    "ListActionExecutions",
    (body) => (body.filter as { pipelineExecutionId?: string }).pipelineExecutionId === execution,
    actionExecutions([{ status: "Succeeded", executionId: execution }]),
  );
}

function startTestBridge(queueUrl: string) {
  return startBridge(
    testConfig({
      queue: {
        url: queueUrl,
        region: "us-east-1",
        batchSize: 2,
        maxInHand: 500,
        visibilityTimeoutSeconds: 30,
        waitTimeSeconds: 1,
      },
    }),
    {
      Octokit: TestOctokit,
      pipelines: createTestPipelineGateway(),
      sqs: sqsServer!.sqs,
      log: createTestLog().log,
    },
  );
}

describe("shutdown (SIGTERM) with messages in flight", () => {
  // Beyond the bound, messages stay on the queue for a restart: continuous-receiving.test.ts.
  it("finishes and deletes every message in hand before it stops: none lost, none doubled", async () => {
    sqsServer = await startLocalSqs();
    const queueUrl = await sqsServer.createQueue({ VisibilityTimeout: "30" });
    for (const n of [1, 2, 3, 4]) {
      nockExecution(n);
      await sqsServer.send(
        queueUrl,
        JSON.stringify(stateChangeEvent("SUCCEEDED", { execution: executions[n - 1]! })),
      );
    }
    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockRepoInstallation();
    nockInstallationToken();
    const updated: number[] = [];
    githubApi()
      .patch(
        /^\/repos\/octo-org\/service\/check-runs\/900\d$/,
        (body: JsonBody) => body.conclusion === "success",
      )
      .times(4)
      .delay(500)
      .reply(200, (uri) => {
        updated.push(Number(uri.split("/").pop()));
        return { id: Number(uri.split("/").pop()) };
      });

    bridge = await startTestBridge(queueUrl);
    // Two receives of two: the consumer does not wait for the first two before asking again.
    await waitFor(() => (bridge?.consumer?.status().inFlight ?? 0) === 4);
    expect(updated).toEqual([]);
    await bridge.stop();

    expect(updated.sort()).toEqual([9001, 9002, 9003, 9004]);
    expect(await sqsServer.count(queueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(bridge.consumer?.status()).toMatchObject({ running: false, inFlight: 0 });
    bridge = undefined;
  });
});
