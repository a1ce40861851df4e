import { z } from "zod";
import { awsAccountsEnvSchema, type AwsAccounts } from "./codepipeline/aws-accounts.schema.js";
import { readPrivateKey } from "./read-private-key.js";

/**
 * The environment, read once at start and validated as a whole, so a bad deployment fails with one
 * message that lists every problem instead of the first one found. Each problem says what was
 * expected and where the value comes from. An empty value (`APP_ID=` as in .env.example) is unset.
 */
const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** What each variable should hold and where to find it: the second half of every problem. */
const expected: Record<string, string> = {
  APP_ID:
    "the GitHub App's numeric id (the app's settings page, \"App ID\"; the setup page writes it to .env)",
  WEBHOOK_SECRET:
    "the app's webhook secret (the app's settings page, \"Webhook secret\"; the setup page writes it to .env)",
  WEBHOOK_PATH: "a path starting with /, e.g. /api/github/webhooks",
  WEBHOOK_PROXY_URL: "a smee.io channel URL for development, e.g. https://smee.io/AbCd1234",
  PUBLIC_URL: "the https address GitHub reaches this server at, e.g. https://approvals.example.com",
  GHE_HOST: "a GitHub Enterprise Server host name, e.g. github.example.com",
  GHE_PROTOCOL: "https or http",
  HOST: "an interface to listen on, e.g. localhost or 0.0.0.0",
  PORT: "a port number from 0 to 65535",
  LOG_LEVEL: logLevels.join(", "),
  LOG_FORMAT: "json or pretty",
  AWS_REGION: "the queue's region: the stack's Region output, e.g. us-east-1",
  SQS_QUEUE_URL:
    "the queue's URL: the stack's QueueUrl output, https://sqs.<region>.amazonaws.com/<account>/<name>",
  SQS_BATCH_SIZE: "a whole number from 1 to 10",
  SQS_MAX_IN_HAND: "a whole number from 1 to 10000",
  SQS_VISIBILITY_TIMEOUT_SECONDS: "a whole number of seconds from 10 to 43200",
  SQS_WAIT_TIME_SECONDS: "a whole number of seconds from 0 to 20",
};

const httpUrl = z.url({ protocol: /^https?$/, error: "is not an http(s) URL" });
const whole = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: "is not a number" })
    .int("is not a whole number")
    .min(min, `is below ${min}`)
    .max(max, `is above ${max}`)
    .default(fallback);

const envSchema = z.object({
  APP_ID: z.string().regex(/^\d+$/, "is not a number").optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_PATH: z.string().startsWith("/", "does not start with /").default("/api/github/webhooks"),
  WEBHOOK_PROXY_URL: httpUrl.optional(),
  PUBLIC_URL: httpUrl.optional(),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(["https", "http"], "is neither https nor http").default("https"),
  HOST: z.string().default("localhost"),
  PORT: whole(0, 65535, 3000),
  LOG_LEVEL: z.enum(logLevels, "is not a log level").default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"], "is neither json nor pretty").optional(),
  NODE_ENV: z.string().optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "is not an AWS region")
    .optional(),
  SQS_QUEUE_URL: z.string().superRefine(checkQueueUrl).optional(),
  SQS_BATCH_SIZE: whole(1, 10, 10),
  SQS_MAX_IN_HAND: whole(1, 10_000, 500),
  SQS_VISIBILITY_TIMEOUT_SECONDS: whole(10, 43_200, 120),
  SQS_WAIT_TIME_SECONDS: whole(0, 20, 20),
});

/**
 * Settings that need each other. Checked on the raw values, outside the schema, so they are
 * reported even when another variable is invalid (zod skips an object's refinements then).
 */
function missingCompanions(env: NodeJS.ProcessEnv): string[] {
  const production = env.NODE_ENV === "production";
  const problems: string[] = [];
  if ((env.APP_ID || production) && !env.WEBHOOK_SECRET) {
    problems.push(
      env.APP_ID
        ? "WEBHOOK_SECRET is not set, and is required once APP_ID is set: without it anyone could forge a decision"
        : "WEBHOOK_SECRET is not set, and is required in production",
    );
  }
  if (production && !env.APP_ID) {
    problems.push(
      "APP_ID is not set, and is required in production (the setup page is for development)",
    );
  }
  if (env.SQS_QUEUE_URL && !env.AWS_REGION) {
    problems.push("AWS_REGION is not set, and is required when SQS_QUEUE_URL is set");
  }
  return problems.map((problem) => {
    const name = problem.split(" ")[0] ?? "";
    return `${problem}; expected ${expected[name]}`;
  });
}

/** An ARN or a bare name is the common mistake: say which URL was meant. */
function checkQueueUrl(value: string, ctx: z.RefinementCtx) {
  const arn = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([\w-]+(?:\.fifo)?)$/.exec(value);
  if (arn) {
    const [, region, account, name] = arn;
    ctx.addIssue({
      code: "custom",
      message: `is a queue ARN, not its URL (that would be https://sqs.${region}.amazonaws.com/${account}/${name})`,
    });
  } else if (/^[\w-]+(\.fifo)?$/.test(value)) {
    ctx.addIssue({ code: "custom", message: "is a queue name, not its URL" });
  } else if (!httpUrl.safeParse(value).success) {
    ctx.addIssue({ code: "custom", message: "is not an http(s) URL" });
  }
}

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
  /** Development: a smee.io channel whose deliveries are forwarded to the webhook path. */
  webhookProxyUrl?: string | undefined;
  /** Where GitHub reaches this server; the setup page registers it (plus the path) as the webhook URL. */
  publicUrl?: string | undefined;
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

/** The variables, with empty and blank values left out: `KEY=` in a .env file means unset. */
export function withoutEmptyValues(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
}

export function loadConfig(
  rawEnv: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Config {
  const env = withoutEmptyValues(rawEnv);
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const hint = expected[name];
        return `${name} ${issue.message}${hint ? `; expected ${hint}` : ""}`;
      });
  problems.push(...missingCompanions(env));

  const key = readPrivateKey(env, cwd);
  if (key.kind === "problem") problems.push(key.problem);
  if (key.kind === "none" && (env.APP_ID || env.NODE_ENV === "production")) {
    problems.push(
      `PRIVATE_KEY or PRIVATE_KEY_PATH is not set, and is required ${env.APP_ID ? "once APP_ID is set" : "in production"}; expected the GitHub App's private key (the .pem file from the app's settings page, "Private keys")`,
    );
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
  const privateKey = key.kind === "key" ? key.privateKey : undefined;
  return {
    github:
      e.APP_ID && privateKey && e.WEBHOOK_SECRET
        ? { appId: Number(e.APP_ID), privateKey, webhookSecret: e.WEBHOOK_SECRET }
        : undefined,
    githubBaseUrl: e.GHE_HOST
      ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3`
      : "https://api.github.com",
    webhookPath: e.WEBHOOK_PATH,
    webhookProxyUrl: e.WEBHOOK_PROXY_URL,
    publicUrl: e.PUBLIC_URL,
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
