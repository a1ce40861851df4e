import { describe, expect, it } from "vitest";
import { createAwsSdkLogger } from "../../src/ops/aws-sdk-logger.js";
import { startBridge } from "../../src/start-bridge.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestLog, TestOctokit } from "../helpers/probot.js";

describe("raw console output kept out of JSON logs", () => {
  it("logs process warnings (the AWS SDK's Node version notice) as structured lines while the bridge runs", async () => {
    const before = process.listeners("warning");
    const { log, lines } = createTestLog();
    const bridge = await startBridge(testConfig(), { Octokit: TestOctokit, log });
    try {
      expect(process.listeners("warning")).toHaveLength(1);
      process.emitWarning("versions published after January 2027 will require node >=22", {
        type: "NodeVersionSupportWarning",
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.filter((line) => line.msg === "Node.js warning")).toEqual([
        expect.objectContaining({
          level: 40,
          warning: {
            name: "NodeVersionSupportWarning",
            message: expect.stringContaining("node >=22"),
          },
        }),
      ]);
    } finally {
      await bridge.stop();
    }
    expect(process.listeners("warning")).toEqual(before);
  });

  it("gives the SDK a logger that turns warnings into lines and drops per-command chatter", () => {
    const { log, lines } = createTestLog();
    const sdk = createAwsSdkLogger(log);
    sdk.info({ clientName: "SQSClient", commandName: "ReceiveMessageCommand", output: {} });
    sdk.debug("endpoint resolved");
    sdk.warn("@aws-sdk/credential-provider-node - WARNING: Multiple credential sources detected");
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        source: "aws-sdk",
        msg: expect.stringContaining("Multiple credential sources"),
      }),
    ]);
  });
});
