import nock from "nock";
import { newRecord, type TrackedApproval } from "../../src/approvals/check-run-record.js";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { renderCheckRun } from "../../src/presentation/render-check-run.js";
import {
  executionId,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
} from "../fixtures/codepipeline.js";
import { repoPath, type JsonBody } from "../helpers/github-api.js";
import { policyFilePath } from "../helpers/github-policy-api.js";
import { appId, installationId } from "../helpers/probot.js";

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  performed_via_github_app?: { id: number } | null;
}

/** What CodePipeline says about the approval's action in its execution (ListActionExecutions). */
export type ActionStatus =
  | { status: "InProgress" }
  | { status: "Succeeded"; summary?: string }
  | { status: "Failed"; summary?: string }
  | { status: "InProgress"; token: string };

/**
 * GitHub and CodePipeline at the HTTP layer for one repository (octo-org/service), answering from
 * state like the real services: check runs, PR #42 (whose merge commit is `sha`) or no pull
 * request, issue and commit comments with deletes, the policy file. Every call is counted by
 * operation; the interceptors persist, so two bridges can share the world. Anything else is
 * collected in `unexpected`.
 */
export function createReminderWorld({
  policy,
  withPullRequest = true,
}: {
  /** The repository's `.github/codepipeline-approvals.yml`; null: none (404). */
  policy: string | null;
  withPullRequest?: boolean;
}) {
  const calls = new Map<string, number>();
  const count = (operation: string) => calls.set(operation, (calls.get(operation) ?? 0) + 1);
  const unexpected: string[] = [];
  const checkRuns: JsonBody[] = [];
  const comments: StoredComment[] = [];
  const commitComments: StoredComment[] = [];
  const bot = { login: "codepipeline-approvals[bot]", type: "Bot" };
  let nextCommentId = 5001;
  let pendingToken = "";
  let action: ActionStatus = { status: "InProgress" };
  let listBarrier: { size: number; waiting: (() => void)[] } | undefined;
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

  /**
   * While armed, PR comment listings are held until `size` of them wait, then all are answered at
   * once (or after 5 s): replicas that look for an earlier reminder in the same instant.
   */
  const passBarrier = async () => {
    const barrier = listBarrier;
    if (!barrier) return;
    await new Promise<void>((resolve) => {
      barrier.waiting.push(resolve);
      if (barrier.waiting.length >= barrier.size) {
        listBarrier = undefined;
        for (const release of barrier.waiting) release();
      } else setTimeout(resolve, 5_000);
    });
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
      return [201, storeCheckRun(body as JsonBody)];
    })
    .patch(/^\/repos\/octo-org\/service\/check-runs\/\d+$/)
    .reply((uri, body) => {
      count("github checks.update");
      const run = checkRuns.find((candidate) => candidate.id === Number(uri.split("/").at(-1)));
      if (run) Object.assign(run, body as JsonBody);
      return [200, run ?? {}];
    })
    // What changed since the last approved release (issue 16): the first release, commits unknown.
    .post("/graphql")
    .reply((_uri, body) => {
      count("github graphql");
      const variables = (body as { variables?: Record<string, string> }).variables ?? {};
      const repository = Object.fromEntries(
        Object.keys(variables)
          .filter((alias) => /^c\d+$/.test(alias))
          .map((alias) => [alias, null]),
      );
      return [200, { data: { repository } }];
    })
    .get(/^\/repos\/octo-org\/service\/check-runs\/\d+\/annotations/)
    .reply(() => {
      count("github checks.listAnnotations");
      return [200, []];
    })
    .get(/^\/repos\/octo-org\/service\/collaborators\/[^/]+\/permission$/)
    .reply(() => {
      count("github repos.getCollaboratorPermissionLevel");
      return [200, { permission: "write", role_name: "write" }];
    })
    .get(new RegExp(`^/repos/octo-org/(service|\\.github)${policyFilePath}`))
    .reply((uri) => {
      count("github repos.getContent");
      if (policy === null || uri.startsWith("/repos/octo-org/.github/"))
        return [404, { message: "Not Found" }];
      return [200, policy, { "content-type": "application/vnd.github.raw; charset=utf-8" }];
    })
    .get(new RegExp(`^${repoPath}/commits/[0-9a-f]{40}/pulls`))
    .reply(() => {
      count("github repos.listPullRequestsAssociatedWithCommit");
      return [200, withPullRequest ? [pull] : []];
    })
    .get(/^\/repos\/octo-org\/service\/issues\/42\/comments/)
    .reply(async () => {
      count("github issues.listComments");
      await passBarrier();
      return [200, structuredClone(comments)];
    })
    .post(`${repoPath}/issues/42/comments`)
    .reply((_uri, body) => {
      count("github issues.createComment");
      const comment = {
        id: (nextCommentId += 1),
        body: (body as { body: string }).body,
        user: bot,
        performed_via_github_app: { id: appId },
      };
      comments.push(comment);
      return [201, comment];
    })
    .patch(/^\/repos\/octo-org\/service\/issues\/comments\/\d+$/)
    .reply((uri, body) => {
      count("github issues.updateComment");
      const comment = comments.find((c) => c.id === Number(uri.split("/").at(-1)));
      if (comment) comment.body = (body as { body: string }).body;
      return [200, comment ?? {}];
    })
    .delete(/^\/repos\/octo-org\/service\/issues\/comments\/\d+$/)
    .reply((uri) => {
      count("github issues.deleteComment");
      const index = comments.findIndex((c) => c.id === Number(uri.split("/").at(-1)));
      if (index < 0) return [404, { message: "Not Found" }];
      comments.splice(index, 1);
      return [204];
    })
    .get(new RegExp(`^${repoPath}/commits/[0-9a-f]{40}/comments`))
    .reply(() => {
      count("github repos.listCommentsForCommit");
      return [200, structuredClone(commitComments)];
    })
    .post(new RegExp(`^${repoPath}/commits/[0-9a-f]{40}/comments`))
    .reply((_uri, body) => {
      count("github repos.createCommitComment");
      // Commit comments do not name the app (no performed_via_github_app).
      const comment = {
        id: (nextCommentId += 1),
        body: (body as { body: string }).body,
        user: bot,
      };
      commitComments.push(comment);
      return [201, comment];
    });

  const aws = nock("https://codepipeline.us-east-1.amazonaws.com").persist();
  const codepipeline = (operation: string, reply: () => unknown) =>
    aws
      .post("/")
      .matchHeader("x-amz-target", `CodePipeline_20150709.${operation}`)
      .reply(() => {
        count(`codepipeline ${operation}`);
        return [200, reply(), { "content-type": "application/x-amz-json-1.1" }];
      });
  codepipeline("GetPipeline", () => pipelineDefinition());
  codepipeline("GetPipelineState", () => pipelineState({ pendingToken }));
  codepipeline("GetPipelineExecution", () => pipelineExecution());
  codepipeline("ListActionExecutions", () => ({
    actionExecutionDetails: [
      {
        pipelineExecutionId: executionId,
        actionExecutionId: "c7b2c1e4-0000-4000-8000-000000000001",
        stageName: "Approval",
        actionName: "ManualApproval",
        status: action.status,
        startTime: 1764328180.5,
        lastUpdateTime: 1764329180.5,
        output: {
          executionResult: {
            externalExecutionId: "token" in action ? action.token : pendingToken,
            ...("summary" in action && action.summary
              ? { externalExecutionSummary: action.summary }
              : {}),
          },
        },
      },
    ],
  }));

  // The local SQS server is reached for real (loopback): only GitHub and AWS must be matched.
  const onNoMatch = (request: { method?: string; path?: string; host?: string }) => {
    if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(request.host ?? "")) return;
    unexpected.push(`${request.method} ${request.host ?? ""}${request.path}`);
  };
  nock.emitter.on("no match", onNoMatch);

  function storeCheckRun(body: JsonBody): JsonBody {
    const id = 9001 + checkRuns.length;
    const run = {
      ...body,
      id,
      html_url: `https://github.com/octo-org/service/runs/${id}`,
      started_at: "2026-11-28T11:00:00Z",
      output: { ...(body.output as JsonBody), annotations_count: 0 },
      app: { id: appId },
      pull_requests: [],
    };
    checkRuns.push(run);
    return run;
  }

  return {
    checkRuns,
    comments,
    commitComments,
    unexpected,
    /** CodePipeline shows this token as the pending approval of the execution. */
    pending(token: string) {
      pendingToken = token;
    },
    /** What ListActionExecutions says about the approval from now on. */
    setAction(status: ActionStatus) {
      action = status;
    },
    /** The check run intake would have created for `approval` on `sha`, already on GitHub. */
    seedCheckRun(approval: PendingApproval, tracked?: TrackedApproval) {
      const view = renderCheckRun(tracked ?? { approval, record: newRecord(approval) });
      return storeCheckRun({ ...view, head_sha: sha, status: "completed" });
    },
    holdCommentListings(size: number) {
      listBarrier = { size, waiting: [] };
    },
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
