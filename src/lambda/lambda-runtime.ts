import { Probot } from "probot";
import { createApp } from "../app.js";
import { createPipelineGateway } from "../codepipeline/pipeline-gateway.js";
import { loadConfig } from "../config.js";
import { createGitHubOctokit } from "../github/create-github-octokit.js";
import { createInstallationClients } from "../github/installation-clients.js";
import { createQueueMessageHandler } from "../intake/handle-queue-message.js";

/**
 * Built once per Lambda container (outside the handler), so caches (pipeline definitions,
 * installation ids and tokens) survive across invocations.
 */
export async function createLambdaRuntime(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  if (!config.github) {
    throw new Error(
      "APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET must be set for Lambda",
    );
  }
  const probot = new Probot({
    appId: config.github.appId,
    privateKey: config.github.privateKey,
    secret: config.github.webhookSecret,
    baseUrl: config.githubBaseUrl,
    logLevel: config.logLevel === "silent" ? "fatal" : config.logLevel,
    logFormat: config.logFormat ?? "json",
    Octokit: createGitHubOctokit(),
  });
  const pipelines = createPipelineGateway();
  await probot.load(createApp({ appId: config.github.appId, pipelines }));
  const handleMessage = createQueueMessageHandler({
    pipelines,
    github: createInstallationClients(probot),
    log: probot.log,
  });
  return { probot, handleMessage };
}
