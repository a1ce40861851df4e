import { Probot } from "probot";
import { CodePipelineClient, GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/intake/classify-failure.js";
import { nockCodePipelineError } from "../helpers/codepipeline-api.js";
import { githubApi, nockInstallationToken, repoPath } from "../helpers/github-api.js";
import {
  appId,
  createTestLog,
  installationId,
  privateKey,
  TestOctokit,
} from "../helpers/probot.js";

/** Real errors, as Octokit and the AWS SDK raise them from intercepted HTTP answers. */
async function githubError(reply: (scope: ReturnType<typeof githubApi>) => unknown) {
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log: createTestLog().log });
  nockInstallationToken();
  reply(githubApi());
  const octokit = await probot.auth(installationId);
  return octokit.rest.checks.listForRef({ owner: "octo-org", repo: "service", ref: "abc" }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function awsError(type: string, status = 400) {
  nockCodePipelineError("GetPipelineState", type, status);
  const client = new CodePipelineClient({ region: "us-east-1", maxAttempts: 1 });
  return client.send(new GetPipelineStateCommand({ name: "p" })).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const list = `${repoPath}/commits/abc/check-runs`;

describe("classifyFailure", () => {
  it.each([
    [500, {}, "GitHub 500"],
    [502, {}, "GitHub 502"],
    [429, { "retry-after": "2" }, "GitHub rate limit"],
  ])("calls GitHub %i transient", async (status, headers, why) => {
    const error = await githubError((api) =>
      api.get(list).query(true).reply(status, { message: "x" }, headers),
    );
    expect(classifyFailure(error)).toMatchObject({ kind: "transient", why });
  });

  it("calls a GitHub secondary rate limit transient and keeps its retry-after", async () => {
    const error = await githubError((api) =>
      api
        .get(list)
        .query(true)
        .reply(
          403,
          { message: "You have exceeded a secondary rate limit" },
          { "retry-after": "3" },
        ),
    );
    expect(classifyFailure(error)).toEqual({
      kind: "transient",
      why: "GitHub secondary rate limit",
      retryAfterMs: 3000,
    });
  });

  it("waits for the reset of an exhausted primary rate limit", async () => {
    const error = await githubError((api) =>
      api
        .get(list)
        .query(true)
        .reply(
          403,
          { message: "API rate limit exceeded" },
          { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000" },
        ),
    );
    expect(classifyFailure(error, () => 995_000)).toMatchObject({
      kind: "transient",
      retryAfterMs: 5000,
    });
  });

  it("calls a GitHub request that timed out transient", async () => {
    const error = await githubError((api) =>
      api.get(list).query(true).replyWithError({ code: "ETIMEDOUT", message: "timed out" }),
    );
    expect(classifyFailure(error)).toMatchObject({ kind: "transient" });
  });

  it.each([403, 404, 422])("calls a GitHub %i without a rate limit permanent", async (status) => {
    const error = await githubError((api) =>
      api.get(list).query(true).reply(status, { message: "Resource not accessible" }),
    );
    expect(classifyFailure(error)).toMatchObject({
      kind: "permanent",
      why: `GitHub ${status}: Resource not accessible`,
    });
  });

  it.each([
    ["ThrottlingException", 400],
    ["InternalFailure", 500],
    ["ServiceUnavailableException", 503],
  ])("calls AWS %s transient", async (type, status) => {
    expect(classifyFailure(await awsError(type, status))).toMatchObject({ kind: "transient" });
  });

  it.each(["AccessDeniedException", "ValidationException", "PipelineNotFoundException"])(
    "calls AWS %s permanent",
    async (type) => {
      expect(classifyFailure(await awsError(type))).toMatchObject({
        kind: "permanent",
        why: expect.stringContaining(type),
      });
    },
  );

  it("calls a bug permanent", () => {
    expect(classifyFailure(new TypeError("x is undefined"))).toEqual({
      kind: "permanent",
      why: "TypeError: x is undefined",
    });
  });
});
