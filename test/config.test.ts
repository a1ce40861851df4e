import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { privateKey } from "./helpers/probot.js";

/** A working directory without *.pem files, which Probot's key lookup would otherwise pick up. */
const cwd = mkdtempSync(join(tmpdir(), "cpa-config-"));

/** Any strings, as an environment may hold (Probot's types narrow some variables). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env as NodeJS.ProcessEnv, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

function problemAbout(problems: string[], name: string): string {
  const found = problems.find((problem) => problem.startsWith(name));
  if (!found) throw new Error(`no problem about ${name} in:\n${problems.join("\n")}`);
  return found;
}

describe("loadConfig", () => {
  it("takes .env.example copied as is for an unregistered app: setup page, intake off", () => {
    const env = parseEnv(readFileSync(new URL("../.env.example", import.meta.url), "utf8"));
    expect(Object.values(env)).toContain(""); // the empty lines are really there

    const config = loadConfig(env, cwd);

    expect(config.github).toBeUndefined();
    expect(config.queue).toBeUndefined();
    expect(config.port).toBe(3000);
  });

  it("counts empty and blank values as unset, also for the queue and the region", () => {
    const config = loadConfig(
      { APP_ID: "", WEBHOOK_SECRET: " ", SQS_QUEUE_URL: "", AWS_REGION: "", PORT: "" },
      cwd,
    );
    expect(config).toMatchObject({ github: undefined, queue: undefined, port: 3000 });
  });

  it("lists every problem at once, each with what is expected and where it comes from", () => {
    const problems = problemsOf({
      APP_ID: "abc",
      PORT: "99999",
      SQS_QUEUE_URL: "not a url",
      SQS_BATCH_SIZE: "50",
      SQS_MAX_IN_HAND: "0",
      LOG_LEVEL: "loud",
      WEBHOOK_PROXY_URL: "smee.io/abc",
      PRIVATE_KEY: privateKey,
    });

    expect(problems).toHaveLength(9);
    expect(problemAbout(problems, "APP_ID")).toMatch(/is not a number; expected .*App ID/);
    expect(problemAbout(problems, "PORT")).toMatch(/is above 65535; expected a port number/);
    expect(problemAbout(problems, "SQS_QUEUE_URL")).toMatch(
      /is not an http\(s\) URL; expected .*QueueUrl output, https:\/\/sqs\.<region>\.amazonaws\.com\/<account>\/<name>/,
    );
    expect(problemAbout(problems, "SQS_BATCH_SIZE")).toMatch(/is above 10; expected .*1 to 10/);
    expect(problemAbout(problems, "SQS_MAX_IN_HAND")).toMatch(/is below 1/);
    expect(problemAbout(problems, "LOG_LEVEL")).toMatch(/expected trace, debug, info/);
    expect(problemAbout(problems, "WEBHOOK_PROXY_URL")).toMatch(/expected a smee\.io channel URL/);
    expect(problemAbout(problems, "WEBHOOK_SECRET")).toMatch(/required once APP_ID is set/);
    expect(problemAbout(problems, "AWS_REGION")).toMatch(/required when SQS_QUEUE_URL is set/);
  });

  it("names both the webhook secret and the private key when only APP_ID is set", () => {
    const problems = problemsOf({ APP_ID: "1" });
    expect(problems).toHaveLength(2);
    expect(problemAbout(problems, "WEBHOOK_SECRET")).toMatch(/Webhook secret/);
    expect(problemAbout(problems, "PRIVATE_KEY or PRIVATE_KEY_PATH")).toMatch(
      /required once APP_ID is set; expected .*Private keys/,
    );
  });

  it("in production, requires the app's credentials instead of serving the setup page", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual([
      "WEBHOOK_SECRET",
      "APP_ID",
      "PRIVATE_KEY",
    ]);
  });

  it("recognises a queue ARN and spells out the URL that was meant", () => {
    const problems = problemsOf({
      SQS_QUEUE_URL: "arn:aws:sqs:eu-west-1:123456789012:approvals",
      AWS_REGION: "eu-west-1",
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^SQS_QUEUE_URL is a queue ARN, not its URL \(that would be https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\/approvals\)/,
      ),
    ]);
  });

  it("recognises a bare queue name", () => {
    expect(problemsOf({ SQS_QUEUE_URL: "approvals", AWS_REGION: "us-east-1" })).toEqual([
      expect.stringMatching(
        /^SQS_QUEUE_URL is a queue name, not its URL; expected .*QueueUrl output/,
      ),
    ]);
  });

  it("requires AWS_REGION with a queue, and a region's shape", () => {
    const url = "https://sqs.us-east-1.amazonaws.com/123456789012/q";
    expect(problemAbout(problemsOf({ SQS_QUEUE_URL: url }), "AWS_REGION")).toMatch(
      /required when SQS_QUEUE_URL is set; expected .*Region output/,
    );
    expect(
      problemAbout(problemsOf({ SQS_QUEUE_URL: url, AWS_REGION: "Virginia" }), "AWS_REGION"),
    ).toMatch(/is not an AWS region/);
  });

  it("reports a PEM-shaped key that cannot sign as a configuration problem, without echoing it", () => {
    const broken = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----";
    const problems = problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: broken });
    expect(problems).toEqual([
      expect.stringMatching(
        /^PRIVATE_KEY: cannot sign a GitHub App token \(.+\); expected .*\.pem/,
      ),
    ]);
    expect(problems.join("\n")).not.toContain("bm90IGEga2V5");
  });

  it("refuses a key that is not RSA, which GitHub App tokens need", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    expect(problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: String(ec) })).toEqual([
      expect.stringMatching(/^PRIVATE_KEY: is a ec key, GitHub App keys are RSA/),
    ]);
  });

  it("names PRIVATE_KEY_PATH and its value when the file is missing", () => {
    const problems = problemsOf({
      APP_ID: "1",
      WEBHOOK_SECRET: "s",
      PRIVATE_KEY_PATH: "keys/app.pem",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^PRIVATE_KEY_PATH \(keys\/app\.pem\): Private key does not exists/),
    ]);
  });

  it("reads a complete configuration, including a GitHub Enterprise host and the webhook URLs", () => {
    const config = loadConfig(
      {
        APP_ID: "12",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "s",
        GHE_HOST: "github.example.com",
        SQS_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/approvals",
        AWS_REGION: "eu-west-1",
        WEBHOOK_PROXY_URL: "https://smee.io/abc",
        PUBLIC_URL: "https://approvals.example.com",
      },
      cwd,
    );
    expect(config.github?.appId).toBe(12);
    expect(config.githubBaseUrl).toBe("https://github.example.com/api/v3");
    expect(config.webhookProxyUrl).toBe("https://smee.io/abc");
    expect(config.publicUrl).toBe("https://approvals.example.com");
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
