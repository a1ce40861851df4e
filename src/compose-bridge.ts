import { Probot, ProbotOctokit, type ApplicationFunction, type Logger } from "probot";
import { SQSClient, type Message } from "@aws-sdk/client-sqs";
import { createApp } from "./app.js";
import { createCodePipelineClient } from "./codepipeline/create-codepipeline-client.js";
import { createPipelineGateway, type PipelineGateway } from "./codepipeline/pipeline-gateway.js";
import type { Config, GitHubAppCredentials } from "./config.js";
import { createGitHubOctokit } from "./github/create-github-octokit.js";
import { createInstallationClients } from "./github/installation-clients.js";
import { createQueueMessageHandler, type QueueHandlerDeps } from "./intake/handle-queue-message.js";
import {
  countCodePipelineCalls,
  countGitHubCalls,
  countQueueMessages,
} from "./ops/instrument-clients.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { createAwsSdkLogger } from "./ops/aws-sdk-logger.js";
import { createRootLog } from "./ops/create-root-log.js";
import { singleKeyLog } from "./ops/single-key-log.js";
import { structuredLog } from "./ops/structured-log.js";
import { editNotices } from "./notices/update-notices.js";
import { notifyPullRequestsFrom } from "./policy/policy-backed-switches.js";
import { rememberPolicyLoads } from "./policy/remember-policy-loads.js";
import { createReminderQueue } from "./reminders/reminder-queue.js";
import { createReminderScheduler } from "./reminders/schedule-reminders.js";

/** Collaborators a test or benchmark swaps; production leaves them out. */
export interface CompositionOverrides {
  pipelines?: PipelineGateway;
  Octokit?: typeof ProbotOctokit;
  log?: Logger;
  metrics?: Metrics;
  /**
   * How the queue handler waits: between retries of transient failures, and for a check run to
   * settle, and how long a new check run waits for what changed. The model checker (test/model)
   * turns each wait into one of its scheduled steps. `now` is the queue path's clock (a
   * reminder's due time, tested without waiting days).
   */
  queueTiming?: Pick<
    QueueHandlerDeps,
    "retry" | "settleMs" | "recheckAfterMs" | "changesBudgetMs" | "now"
  >;
  /** The client reminders are sent with, to the queue intake reads (SQS_QUEUE_URL). */
  sqs?: SQSClient;
}

export interface BridgeParts {
  probot: Probot;
  app: ApplicationFunction;
  handleMessage: (message: Message) => Promise<void>;
  metrics: Metrics;
}

/**
 * The parts every way of running the bridge shares (the long-running server and the Lambda
 * functions): one Probot, one CodePipeline gateway with its caches, the app and the queue handler,
 * each instrumented for metrics.
 */
export async function composeBridge(
  config: Config & { github: GitHubAppCredentials },
  overrides: CompositionOverrides = {},
): Promise<BridgeParts> {
  const metrics = overrides.metrics ?? createMetrics();
  const Octokit = (overrides.Octokit ?? createGitHubOctokit()).plugin(countGitHubCalls(metrics));
  const probot = new Probot({
    appId: config.github.appId,
    privateKey: config.github.privateKey,
    secret: config.github.webhookSecret,
    baseUrl: config.githubBaseUrl,
    // Our root logger, not Probot's: Probot's binds `name` again on every child (create-root-log.ts).
    log: overrides.log
      ? singleKeyLog(overrides.log)
      : await createRootLog({ level: config.logLevel, format: config.logFormat }),
    Octokit: Octokit as typeof ProbotOctokit,
  });
  // Probot 14 builds its logger asynchronously: probot.log is null before ready().
  await probot.ready();
  await assertCredentialsUsable(probot);
  const sdkLogger = createAwsSdkLogger(probot.log);
  const pipelines =
    overrides.pipelines ??
    createPipelineGateway({
      createClient: (region, credentials) =>
        countCodePipelineCalls(
          metrics,
          createCodePipelineClient(region, {
            ...(credentials ? { credentials } : {}),
            logger: sdkLogger,
          }),
        ),
      ...(config.awsAccounts ? { accounts: config.awsAccounts } : {}),
    });
  const app = createApp({ appId: config.github.appId, pipelines, metrics });
  // Reminders wait on the bridge's own queue (docs/design.md, "Reminders"): without one, none.
  const reminderQueue = config.queue
    ? createReminderQueue({
        sqs: overrides.sqs ?? new SQSClient({ region: config.queue.region, logger: sdkLogger }),
        queueUrl: config.queue.url,
      })
    : undefined;
  const handleMessage = countQueueMessages(
    metrics,
    createQueueMessageHandler({
      pipelines,
      github: createInstallationClients(probot),
      log: structuredLog(probot.log),
      appId: config.github.appId,
      showChanges: true,
      // One read of each repository's policy per message: who may decide (on the new check run),
      // the notice's notify_pr and the reminder's remind_before.
      forEachMessage: () => {
        const loadPolicy = rememberPolicyLoads();
        return {
          readPolicy: loadPolicy,
          notifyPullRequests: notifyPullRequestsFrom(loadPolicy),
          ...(reminderQueue
            ? {
                scheduleReminders: createReminderScheduler({
                  queue: reminderQueue,
                  loadPolicy,
                  ...(overrides.queueTiming?.now ? { now: overrides.queueTiming.now } : {}),
                }),
              }
            : {}),
        };
      },
      reminderQueue,
      // Decided in the console, expired or superseded: the PR thread ends with that outcome too.
      onResolved: (octokit, repo, checkRun, tracked) =>
        editNotices(octokit, repo, checkRun, tracked, config.github.appId),
      metrics,
      accounts: config.awsAccounts,
      ...overrides.queueTiming,
    }),
  );
  return { probot, app, handleMessage, metrics };
}

/**
 * Signs an app JWT locally (no request): a private key that cannot sign stops the start here with
 * a clear message, instead of failing every GitHub call later. So a running bridge (and its
 * /ready) always has usable GitHub credentials.
 */
async function assertCredentialsUsable(probot: Probot): Promise<void> {
  try {
    const appClient = await probot.auth();
    await appClient.auth({ type: "app" });
  } catch (error) {
    throw new Error(
      `The GitHub App private key cannot sign a token (${(error as Error).message}): check PRIVATE_KEY or PRIVATE_KEY_PATH`,
      { cause: error },
    );
  }
}
