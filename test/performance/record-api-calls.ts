import nock from "nock";
import {
  actionExecutions,
  pipelineDefinition,
  pipelineExecution,
  sha,
} from "../fixtures/codepipeline.js";
import { repoPath, type JsonBody } from "../helpers/github-api.js";
import { policyFilePath } from "../helpers/github-policy-api.js";
import { appId, installationId } from "../helpers/probot.js";

/**
 * GitHub and CodePipeline at the HTTP layer, answering like the real services for one repository
 * (octo-org/service) whose commit is pull request #42's merge commit, and COUNTING every call by
 * operation. Unlike the one-shot helpers, the interceptors persist: a call made twice is counted
 * twice, so the counts, not the interceptors, are what a test asserts. Anything else the app calls
 * is collected in `unexpected`.
 */
export function recordApiCalls() {
  const calls = new Map<string, number>();
  const unexpected: string[] = [];
  const count = (operation: string) => calls.set(operation, (calls.get(operation) ?? 0) + 1);
  const comments: {
    id: number;
    body: string;
    user: { login: string; type: string };
    performed_via_github_app: { id: number };
  }[] = [];
  const checkRuns: JsonBody[] = [];
  const bot = { login: "codepipeline-approvals[bot]", type: "Bot" };
  const pull = {
    number: 42,
    state: "closed",
    merged: true,
    merged_at: "2026-11-28T10:00:00Z",
    merge_commit_sha: sha,
    head: { sha: "c".repeat(40), ref: "feature" },
    base: { sha: "b".repeat(40), ref: "main" },
    html_url: "https://github.com/octo-org/service/pull/42",
  };

  const github = nock("https://api.github.com").persist();
  github
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(() => {
      count("github apps.createInstallationAccessToken");
      return [201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" }];
    })
    .get(`${repoPath}/installation`)
    .reply(() => {
      count("github apps.getRepoInstallation");
      return [200, { id: installationId }];
    })
    .get(new RegExp(`^${repoPath}/commits/[0-9a-f]{40}/check-runs`))
    .reply((uri) => {
      count("github checks.listForRef");
      // The check runs created on that commit, as they are now (a command finds them this way).
      const url = new URL(uri, "https://api.github.com");
      const commit = url.pathname.split("/").at(-2);
      const name = url.searchParams.get("check_name");
      const found = checkRuns.filter(
        (run) => run.head_sha === commit && (!name || run.name === name),
      );
      return [200, { total_count: found.length, check_runs: found }];
    })
    .post(`${repoPath}/check-runs`)
    .reply((_uri, body) => {
      count("github checks.create");
      const run = {
        ...(body as JsonBody),
        id: 9001 + checkRuns.length,
        html_url: `https://github.com/octo-org/service/runs/${9001 + checkRuns.length}`,
        // GitHub's creation time; before the fixtures' comments (2026-11-28T11:30:00Z).
        started_at: "2026-11-28T11:00:00Z",
        app: { id: appId },
        pull_requests: [],
      };
      checkRuns.push(run);
      return [201, run];
    })
    .patch(/^\/repos\/octo-org\/service\/check-runs\/\d+$/)
    .reply((uri, body) => {
      count("github checks.update");
      const run = checkRuns.find((candidate) => candidate.id === Number(uri.split("/").at(-1)));
      if (run) Object.assign(run, body as JsonBody);
      return [200, run ?? { id: Number(uri.split("/").at(-1)), ...(body as JsonBody) }];
    })
    .get(`${repoPath}/pulls/42`)
    .reply(() => {
      count("github pulls.get");
      return [200, pull];
    })
    .post(/^\/repos\/octo-org\/service\/issues\/comments\/\d+\/reactions$/)
    .reply(() => {
      count("github reactions.createForIssueComment");
      return [201, { id: 1, content: "eyes" }];
    })
    .get(/^\/repos\/octo-org\/service\/collaborators\/[^/]+\/permission$/)
    .reply((uri) => {
      count("github repos.getCollaboratorPermissionLevel");
      // "reader" may only read: their decisions are refused.
      const role = uri.includes("/collaborators/reader/") ? "read" : "write";
      return [200, { permission: role, role_name: role }];
    })
    .get(/^\/repos\/octo-org\/service\/check-runs\/\d+\/annotations/)
    .reply(() => {
      count("github checks.listAnnotations");
      return [200, []];
    })
    .get(new RegExp(`^/repos/octo-org/(service|\\.github)${policyFilePath}`))
    .reply(() => {
      count("github repos.getContent");
      return [404, { message: "Not Found" }];
    })
    .get(new RegExp(`^${repoPath}/commits/[0-9a-f]{40}/pulls`))
    .reply(() => {
      count("github repos.listPullRequestsAssociatedWithCommit");
      return [200, [pull]];
    })
    .get(/^\/repos\/octo-org\/service\/issues\/42\/comments/)
    .reply(() => {
      count("github issues.listComments");
      return [200, comments];
    })
    .post(`${repoPath}/issues/42/comments`)
    .reply((_uri, body) => {
      count("github issues.createComment");
      const comment = {
        id: 5001 + comments.length,
        body: (body as { body: string }).body,
        user: bot,
        performed_via_github_app: { id: appId },
      };
      comments.push(comment);
      return [201, comment];
    })
    .get(new RegExp(`^${repoPath}/compare/[0-9a-f]{40}\\.\\.\\.[0-9a-f]{40}`))
    .reply(() => {
      count("github repos.compareCommitsWithBasehead");
      return [200, comparison];
    })
    .post("/graphql")
    .reply(() => {
      count("github graphql");
      return [200, { data: { repository: { c0: null, c1: null } } }];
    })
    .patch(/^\/repos\/octo-org\/service\/issues\/comments\/\d+$/)
    .reply((uri, body) => {
      count("github issues.updateComment");
      const comment = comments.find((c) => c.id === Number(uri.split("/").at(-1)));
      if (comment) comment.body = (body as { body: string }).body;
      return [200, comment ?? {}];
    });

  const aws = nock("https://codepipeline.us-east-1.amazonaws.com").persist();
  const codepipeline = (operation: string, reply: (body: JsonBody) => unknown) =>
    aws
      .post("/")
      .matchHeader("x-amz-target", `CodePipeline_20150709.${operation}`)
      .reply((_uri, body) => {
        count(`codepipeline ${operation}`);
        return [200, reply(body as JsonBody), { "content-type": "application/x-amz-json-1.1" }];
      });
  let pendingToken = "";
  codepipeline("GetPipeline", () => pipelineDefinition());
  codepipeline("GetPipelineState", () => pipelineStateFor(pendingToken));
  codepipeline("GetPipelineExecution", (body) =>
    body.pipelineExecutionId === previousExecutionId
      ? pipelineExecution([{ name: "SourceArtifact", revisionId: previousSha }])
      : pipelineExecution(),
  );
  // The approval ran before, in an earlier execution, and was approved: the last release.
  codepipeline("ListActionExecutions", () =>
    actionExecutions([
      { status: "InProgress", startTime: 1764328180.5 },
      { status: "Succeeded", executionId: previousExecutionId, startTime: 1764240000.5 },
    ]),
  );
  codepipeline("PutApprovalResult", () => ({ approvedAt: 1764331200 }));

  const onNoMatch = (request: { method?: string; path?: string; host?: string }) =>
    unexpected.push(`${request.method} ${request.host ?? ""}${request.path}`);
  nock.emitter.on("no match", onNoMatch);

  return {
    /** CodePipeline shows this token as the pending approval. */
    pending(token: string) {
      pendingToken = token;
    },
    checkRuns,
    comments,
    unexpected,
    /** The calls since the last take, by "service operation", and a fresh count. */
    take(): Record<string, number> {
      const taken = Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b)));
      calls.clear();
      return taken;
    },
    stop() {
      nock.emitter.off("no match", onNoMatch);
    },
  };
}

const previousExecutionId = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c";
const previousSha = "1".repeat(40);
/** GitHub's comparison of the last release with this commit: one commit ahead. */
const comparison = {
  status: "ahead",
  ahead_by: 1,
  behind_by: 0,
  total_commits: 1,
  html_url: `https://github.com/octo-org/service/compare/${previousSha}...${sha}`,
  commits: [
    {
      sha,
      commit: { message: "Merge pull request #42", author: { name: "Alice" } },
      author: { login: "alice" },
    },
  ],
};

function pipelineStateFor(token: string) {
  const executionId = pipelineExecution().pipelineExecution.pipelineExecutionId;
  return {
    pipelineName: "my-service-pipeline",
    stageStates: [
      {
        stageName: "Approval",
        latestExecution: { pipelineExecutionId: executionId, status: "InProgress" },
        actionStates: [
          {
            actionName: "ManualApproval",
            latestExecution: { status: "InProgress", token, lastStatusChange: 1764328180.5 },
          },
        ],
      },
    ],
  };
}
