import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createCodePipelineClient } from "../../src/codepipeline/create-codepipeline-client.js";
import { classifyFailure } from "../../src/intake/classify-failure.js";
import { pipelineName, pipelineState } from "../fixtures/codepipeline.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const readState = new GetPipelineStateCommand({ name: pipelineName });

describe("createCodePipelineClient", () => {
  it("retries adaptively, 4 attempts in all, by default", async () => {
    const client = createCodePipelineClient("eu-west-1");
    expect(await client.config.region()).toBe("eu-west-1");
    expect(await client.config.maxAttempts()).toBe(4);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: "adaptive" });
  });

  it("fails a request that outlasts the timeout with an error the queue retries as transient", async () => {
    nockCodePipeline("GetPipelineState", pipelineState(), { delayMs: 2_000 });
    const client = createCodePipelineClient("us-east-1", { maxAttempts: 1, requestTimeoutMs: 100 });

    const started = Date.now();
    const error: unknown = await client.send(readState).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({ name: "TimeoutError", message: /100 ms requestTimeout/ });
    expect(classifyFailure(error)).toMatchObject({ kind: "transient" });
  });

  it("lets the SDK retry a timed-out attempt", async () => {
    nockCodePipeline("GetPipelineState", pipelineState(), { delayMs: 2_000 });
    nockCodePipeline("GetPipelineState", pipelineState());
    const client = createCodePipelineClient("us-east-1", { maxAttempts: 2, requestTimeoutMs: 100 });

    const out = await client.send(readState);

    expect(out.pipelineName).toBe(pipelineName);
  });
});
