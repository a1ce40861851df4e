import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import type { Message } from "@aws-sdk/client-sqs";
import type { ProbotOctokit } from "probot";
import type { Metrics } from "./metrics.js";

/**
 * An Octokit plugin counting GitHub calls by route template ("POST /repos/{owner}/{repo}/check-runs"),
 * which keeps the label set small, and by result (HTTP status class).
 */
export function countGitHubCalls(metrics: Metrics) {
  return (octokit: Pick<ProbotOctokit, "hook">) => {
    octokit.hook.wrap("request", async (request, options) => {
      const operation = `${options.method} ${routeOf(options.url)}`;
      try {
        const response = await request(options);
        metrics.apiCalls.inc({ service: "github", operation, result: "ok" });
        return response;
      } catch (error) {
        const status = (error as { status?: number }).status;
        metrics.apiCalls.inc({
          service: "github",
          operation,
          result: status ? `${Math.floor(status / 100)}xx` : "error",
        });
        throw error;
      }
    });
  };
}

/** Counts CodePipeline calls by command and by result (the exception's name when one is thrown). */
export function countCodePipelineCalls(
  metrics: Metrics,
  client: CodePipelineClient,
): CodePipelineClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "unknown").replace(/Command$/, "");
      try {
        const output = await next(args);
        metrics.apiCalls.inc({ service: "codepipeline", operation, result: "ok" });
        return output;
      } catch (error) {
        metrics.apiCalls.inc({
          service: "codepipeline",
          operation,
          result: (error as Error).name || "error",
        });
        throw error;
      }
    },
    { step: "initialize", name: "codepipelineApprovalsMetrics" },
  );
  return client;
}

/** Counts queue messages by outcome and times each one's work. */
export function countQueueMessages(metrics: Metrics, handle: (message: Message) => Promise<void>) {
  return async (message: Message): Promise<void> => {
    const stopTimer = metrics.intakeSeconds.startTimer();
    try {
      await handle(message);
      metrics.messages.inc({ outcome: "handled" });
    } catch (error) {
      metrics.messages.inc({ outcome: "failed" });
      throw error;
    } finally {
      stopTimer();
    }
  };
}

/**
 * Paginated requests pass the resolved URL instead of the route template; numbers and SHAs are
 * folded back to placeholders so each pull request or commit does not become a new series.
 */
export function routeOf(url: string): string {
  if (url.includes("{")) return url;
  return url
    .replace(/^https?:\/\/[^/]+/, "")
    .split("?")[0]!
    .replace(/\/(\d+|[0-9a-f]{40})(?=\/|$)/g, "/{id}");
}
