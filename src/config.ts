import { getPrivateKey } from "@probot/get-private-key";
import { z } from "zod";
import { awsAccountsEnvSchema, type AwsAccounts } from "./codepipeline/aws-accounts.schema.js";

/**
 * The environment, read once at start and validated as a whole, so a bad deployment fails with one
 * message that lists every problem instead of the first one found.
 */
const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

const envSchema = z
  .object({
    APP_ID: z.string().regex(/^\d+$/, "must be the numeric GitHub App id").optional(),
    WEBHOOK_SECRET: z.string().min(1).optional(),
    WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
    GHE_HOST: z.string().min(1).optional(),
    GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
    HOST: z.string().min(1).default("localhost"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(logLevels).default("info"),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    NODE_ENV: z.string().optional(),
    AWS_REGION: z.string().min(1).optional(),
    SQS_QUEUE_URL: z.url({ protocol: /^https?$/ }).optional(),
    SQS_BATCH_SIZE: z.coerce.number().int().min(1).max(10).default(10),
    SQS_MAX_IN_HAND: z.coerce.number().int().min(1).max(10_000).default(500),
    SQS_VISIBILITY_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(43_200).default(120),
    SQS_WAIT_TIME_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
  })
  .superRefine((env, ctx) => {
    if (env.APP_ID && !env.WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: "is required once APP_ID is set: without it anyone could forge a decision",
      });
    }
    if (env.SQS_QUEUE_URL && !env.AWS_REGION) {
      ctx.addIssue({
        code: "custom",
        path: ["AWS_REGION"],
        message: "is required when SQS_QUEUE_URL is set (the queue's region)",
      });
    }
  });

export interface GitHubAppCredentials {
  appId: number;
  privateKey: string;
  webhookSecret: string;
}

export interface Config {
  /** Absent until the app is registered: then `npm start` serves Probot's setup page. */
  github: GitHubAppCredentials | undefined;
  githubBaseUrl: string;
  webhookPath: string;
  host: string;
  port: number;
  logLevel: (typeof logLevels)[number];
  logFormat: "json" | "pretty" | undefined;
  production: boolean;
  /** Absent when SQS_QUEUE_URL is not set: intake is off, decisions still work. */
  queue:
    | {
        url: string;
        region: string;
        batchSize: number;
        /** Messages being handled at once; the consumer receives more until it holds this many. */
        maxInHand: number;
        visibilityTimeoutSeconds: number;
        waitTimeSeconds: number;
      }
    | undefined;
  /** Approvals from other AWS accounts (docs/multi-account.md); absent: only the bridge's own. */
  awsAccounts?: AwsAccounts | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  let privateKey: string | undefined;
  try {
    privateKey = getPrivateKey({ env })?.toString();
  } catch (error) {
    problems.push(`PRIVATE_KEY / PRIVATE_KEY_PATH: ${(error as Error).message}`);
  }
  if (parsed.success && parsed.data.APP_ID && !privateKey && problems.length === 0) {
    problems.push("PRIVATE_KEY or PRIVATE_KEY_PATH: is required once APP_ID is set");
  }
  // Several AWS accounts (docs/multi-account.md): its own schema, its problems listed with the rest.
  const awsAccounts = awsAccountsEnvSchema.safeParse(env);
  if (!awsAccounts.success) {
    problems.push(
      ...awsAccounts.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const e = parsed.data;
  return {
    github:
      e.APP_ID && privateKey && e.WEBHOOK_SECRET
        ? { appId: Number(e.APP_ID), privateKey, webhookSecret: e.WEBHOOK_SECRET }
        : undefined,
    githubBaseUrl: e.GHE_HOST
      ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3`
      : "https://api.github.com",
    webhookPath: e.WEBHOOK_PATH,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    production: e.NODE_ENV === "production",
    queue:
      e.SQS_QUEUE_URL && e.AWS_REGION
        ? {
            url: e.SQS_QUEUE_URL,
            region: e.AWS_REGION,
            batchSize: e.SQS_BATCH_SIZE,
            maxInHand: e.SQS_MAX_IN_HAND,
            visibilityTimeoutSeconds: e.SQS_VISIBILITY_TIMEOUT_SECONDS,
            waitTimeSeconds: e.SQS_WAIT_TIME_SECONDS,
          }
        : undefined,
    ...(awsAccounts.success ? { awsAccounts: awsAccounts.data } : {}),
  };
}
