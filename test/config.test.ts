import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { privateKey } from "./helpers/probot.js";

describe("loadConfig", () => {
  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadConfig({
        APP_ID: "abc",
        PORT: "99999",
        SQS_QUEUE_URL: "not a url",
        SQS_BATCH_SIZE: "50",
        SQS_MAX_IN_HAND: "0",
        PRIVATE_KEY: privateKey,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of [
      "APP_ID",
      "PORT",
      "SQS_QUEUE_URL",
      "SQS_BATCH_SIZE",
      "SQS_MAX_IN_HAND",
      "WEBHOOK_SECRET",
    ]) {
      expect(problems).toContain(name);
    }
  });

  it("requires a webhook secret and a private key once the app is registered", () => {
    expect(() => loadConfig({ APP_ID: "1", WEBHOOK_SECRET: "s" })).toThrow(
      /PRIVATE_KEY or PRIVATE_KEY_PATH: is required/,
    );
    expect(() => loadConfig({ APP_ID: "1", PRIVATE_KEY: privateKey })).toThrow(
      /WEBHOOK_SECRET: is required/,
    );
  });

  it("requires AWS_REGION with a queue", () => {
    expect(() => loadConfig({ SQS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/1/q" })).toThrow(
      /AWS_REGION/,
    );
  });

  it("without APP_ID, leaves GitHub unconfigured (setup mode) and intake off", () => {
    const config = loadConfig({});
    expect(config.github).toBeUndefined();
    expect(config.queue).toBeUndefined();
    expect(config.port).toBe(3000);
  });

  it("reads a complete configuration, including a GitHub Enterprise host", () => {
    const config = loadConfig({
      APP_ID: "12",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: "s",
      GHE_HOST: "github.example.com",
      SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/approvals",
      AWS_REGION: "eu-west-1",
    });
    expect(config.github?.appId).toBe(12);
    expect(config.githubBaseUrl).toBe("https://github.example.com/api/v3");
    expect(config.queue).toEqual({
      url: "https://sqs.eu-west-1.amazonaws.com/123456789012/approvals",
      region: "eu-west-1",
      batchSize: 10,
      maxInHand: 500,
      visibilityTimeoutSeconds: 120,
      waitTimeSeconds: 20,
    });
  });
});
