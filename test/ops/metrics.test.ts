import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { describe, expect, it } from "vitest";
import {
  countCodePipelineCalls,
  countGitHubCalls,
  countQueueMessages,
  routeOf,
} from "../../src/ops/instrument-clients.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { createOpsRoutes } from "../../src/ops/ops-routes.js";
import { nockCodePipeline, nockCodePipelineError } from "../helpers/codepipeline-api.js";
import { githubApi, repoPath } from "../helpers/github-api.js";
import { TestOctokit } from "../helpers/probot.js";

async function valueOf(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string>,
) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    ?.value;
}

describe("metrics", () => {
  it("folds resolved URLs of paginated calls back to one route per endpoint", () => {
    expect(routeOf("https://api.github.com/repos/o/r/issues/42/comments?page=2")).toBe(
      "/repos/o/r/issues/{id}/comments",
    );
    expect(routeOf("/repos/{owner}/{repo}/check-runs")).toBe("/repos/{owner}/{repo}/check-runs");
  });

  it("counts GitHub calls by route template and result", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const Octokit = TestOctokit.plugin(countGitHubCalls(metrics));
    const octokit = new Octokit({ auth: "token" });
    githubApi()
      .get(`${repoPath}/commits/abc/check-runs`)
      .reply(200, { total_count: 0, check_runs: [] });
    githubApi().get(`${repoPath}/commits/def/check-runs`).reply(502, {});

    await octokit.rest.checks.listForRef({ owner: "octo-org", repo: "service", ref: "abc" });
    await expect(
      octokit.rest.checks.listForRef({ owner: "octo-org", repo: "service", ref: "def" }),
    ).rejects.toThrow();

    const operation = "GET /repos/{owner}/{repo}/commits/{ref}/check-runs";
    expect(
      await valueOf(metrics, "codepipeline_approvals_api_calls_total", { operation, result: "ok" }),
    ).toBe(1);
    expect(
      await valueOf(metrics, "codepipeline_approvals_api_calls_total", {
        operation,
        result: "5xx",
      }),
    ).toBe(1);
  });

  it("counts CodePipeline calls by operation and error name", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const client = countCodePipelineCalls(
      metrics,
      new CodePipelineClient({ region: "us-east-1", maxAttempts: 1 }),
    );
    nockCodePipeline("GetPipeline", { pipeline: { name: "p" } });
    nockCodePipelineError("GetPipeline", "PipelineNotFoundException");

    await client.send(new GetPipelineCommand({ name: "p" }));
    await expect(client.send(new GetPipelineCommand({ name: "p" }))).rejects.toThrow();

    expect(
      await valueOf(metrics, "codepipeline_approvals_api_calls_total", {
        service: "codepipeline",
        operation: "GetPipeline",
        result: "ok",
      }),
    ).toBe(1);
    expect(
      await valueOf(metrics, "codepipeline_approvals_api_calls_total", {
        operation: "GetPipeline",
        result: "PipelineNotFoundException",
      }),
    ).toBe(1);
  });

  it("counts queue messages by outcome and serves everything at GET /metrics", async () => {
    const metrics = createMetrics();
    const handle = countQueueMessages(metrics, async (message) => {
      if (message.Body === "bad") throw new Error("bad");
    });
    await handle({ Body: "good" });
    await expect(handle({ Body: "bad" })).rejects.toThrow("bad");

    const routes = createOpsRoutes({ consumer: undefined, metrics });
    const server = createServer((req, res) => void routes(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
      );
      const text = await response.text();
      expect(response.headers.get("content-type")).toContain("text/plain");
      expect(text).toContain('codepipeline_approvals_queue_messages_total{outcome="handled"} 1');
      expect(text).toContain('codepipeline_approvals_queue_messages_total{outcome="failed"} 1');
      expect(text).toContain("codepipeline_approvals_intake_seconds_count 2");
      expect(text).toContain("codepipeline_approvals_process_resident_memory_bytes");
    } finally {
      server.close();
    }
  });
});
