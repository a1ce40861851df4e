import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCodePipelineClient } from "../../src/codepipeline/create-codepipeline-client.js";
import { createAwsSdkLogger } from "../../src/ops/aws-sdk-logger.js";
import { pipelineName, pipelineState } from "../fixtures/codepipeline.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";
import { createTestLog } from "../helpers/probot.js";

let dir: string | undefined;
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the CodePipeline client's SDK warnings", () => {
  // The SDK warns once per process when both AWS_PROFILE and static keys are set; without a
  // logger it writes that warning with console.warn, raw text in the middle of the JSON lines.
  // This file is the only one that sets AWS_PROFILE, so the once-per-process warning is its own.
  it("become one structured warning line, not console text", async () => {
    dir = mkdtempSync(join(tmpdir(), "sdk-logger-"));
    const credentialsFile = join(dir, "credentials");
    writeFileSync(
      credentialsFile,
      "[bridge]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
    );
    vi.stubEnv("AWS_PROFILE", "bridge");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", credentialsFile);
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "config"));
    const consoleWarn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { log, lines } = createTestLog();
    const scope = nockCodePipeline("GetPipelineState", pipelineState());
    const client = createCodePipelineClient("us-east-1", { logger: createAwsSdkLogger(log) });

    const state = await client.send(new GetPipelineStateCommand({ name: pipelineName }));

    expect(scope.isDone()).toBe(true);
    expect(state.pipelineName).toBe(pipelineName);
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        source: "aws-sdk",
        msg: expect.stringContaining("Multiple credential sources detected"),
      }),
    ]);
  });
});
