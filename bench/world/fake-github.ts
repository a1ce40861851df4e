import { documentedLimits, InstallationLimits } from "./github-limits.js";
import { CallCounter, clock, serveFake, type FakeReply, type FakeRequest } from "./serve-fake.js";
import type { WorldModel } from "./world-model.js";

export interface FakeGitHubOptions {
  appId: number;
  timeScale: number;
  latencyMs: () => number;
  model: () => WorldModel;
}

interface StoredCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  actions: unknown[];
  started_at: string;
  completed_at: string | null;
}

interface StoredComment {
  id: number;
  /** `owner/repo#number` for issue comments, `owner/repo@sha` for commit comments. */
  thread: string;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

type CheckRunListener = (token: string, at: number, run: StoredCheckRun) => void;

interface Caller {
  /** The installation a token belongs to, or "app" for the app's own JWT. */
  key: number | "app";
}

type Route = {
  method: string;
  pattern: RegExp;
  operation: string;
  handle: (match: string[], request: FakeRequest, caller: Caller) => FakeReply;
};

const botLogin = "codepipeline-approvals[bot]";

/**
 * GitHub's REST API as far as this app uses it, on 127.0.0.1, keeping check runs and comments in
 * memory and ENFORCING the documented rate limits per installation (github-limits.ts): a request
 * over a limit gets GitHub's 403 with retry-after, and is counted, so the run proves there were none.
 */
export async function startFakeGitHub({ appId, timeScale, latencyMs, model }: FakeGitHubOptions) {
  const calls = new CallCounter();
  const unhandled = new CallCounter();
  const limitErrors = new CallCounter();
  const tokensIssued = new CallCounter();
  const limits = new Map<number, InstallationLimits>();
  const tokens = new Map<string, number>();
  const checkRuns = new Map<number, StoredCheckRun>();
  const checkRunsByCommit = new Map<string, number[]>();
  const comments = new Map<number, StoredComment>();
  const commentsByThread = new Map<string, number[]>();
  const reactions = new Set<string>();
  const created = new Set<CheckRunListener>();
  const updated = new Set<CheckRunListener>();
  let nextId = 1000;

  const limitsOf = (installationId: number) => {
    let found = limits.get(installationId);
    if (!found) limits.set(installationId, (found = new InstallationLimits(timeScale)));
    return found;
  };

  const toApi = (run: StoredCheckRun) => ({
    id: run.id,
    node_id: `CR_${run.id}`,
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `https://api.github.com/repos/${run.owner}/${run.repo}/check-runs/${run.id}`,
    html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: { ...run.output, annotations_count: 0, annotations_url: "" },
    actions: run.actions,
    check_suite: { id: 1 },
    app: { id: appId, slug: "codepipeline-approvals", name: "CodePipeline approvals" },
    pull_requests: [],
  });

  const commentToApi = (comment: StoredComment) => ({
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    user: comment.user,
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    html_url: `https://github.com/${comment.thread}#issuecomment-${comment.id}`,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    // GitHub names the app whose installation token wrote a comment; the app recognises its own
    // notices by it.
    performed_via_github_app:
      comment.user.type === "Bot" ? { id: appId, slug: "codepipeline-approvals" } : null,
  });

  const addComment = (thread: string, body: string, user: StoredComment["user"]) => {
    const now = new Date(clock()).toISOString();
    const comment: StoredComment = {
      id: (nextId += 1),
      thread,
      body,
      user,
      created_at: now,
      updated_at: now,
    };
    comments.set(comment.id, comment);
    commentsByThread.set(thread, [...(commentsByThread.get(thread) ?? []), comment.id]);
    return comment;
  };

  const listThread = (thread: string, request: FakeRequest): FakeReply => {
    const since = request.query.get("since");
    const all = (commentsByThread.get(thread) ?? [])
      .map((id) => comments.get(id)!)
      .filter((comment) => !since || comment.updated_at >= since);
    return paginate(all.map(commentToApi), request);
  };

  const pullOf = (owner: string, repo: string, number: number) => {
    const execution = model().executionOfPull(owner, repo, number);
    if (!execution) return undefined;
    return {
      number,
      state: "closed",
      title: "Release",
      merged: true,
      merged_at: "2026-11-28T10:00:00Z",
      head: { sha: execution.headSha, ref: `feature-${number}` },
      base: { ref: "main" },
      merge_commit_sha: execution.sha,
      user: { login: "author", type: "User" },
      html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
    };
  };

  const tokenOf = (externalId: string | null) => {
    try {
      const token = (JSON.parse(externalId ?? "") as { token?: unknown }).token;
      return typeof token === "string" ? token : undefined;
    } catch {
      return undefined;
    }
  };

  const emit = (listeners: Set<CheckRunListener>, run: StoredCheckRun) => (at: number) => {
    const token = tokenOf(run.external_id);
    if (token) for (const listener of listeners) listener(token, at, run);
  };

  const repo = String.raw`/repos/([^/]+)/([^/]+)`;
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/app\/installations\/(\d+)\/access_tokens$/,
      operation: "apps.createInstallationAccessToken",
      handle: ([, id], _request, caller) => {
        if (caller.key !== "app") return { status: 401, body: { message: "JWT required" } };
        const installationId = Number(id);
        if (!model().installations.has(installationId)) return notFound();
        tokensIssued.add(String(installationId));
        const token = `ghs_bench_${installationId}_${(nextId += 1)}`;
        tokens.set(token, installationId);
        return {
          status: 201,
          body: {
            token,
            expires_at: new Date(clock() + 3_600_000).toISOString(),
            permissions: { checks: "write", issues: "write", pull_requests: "write" },
            repository_selection: "all",
          },
        };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/installation$`),
      operation: "apps.getRepoInstallation",
      handle: ([, owner, name]) => {
        const id = model().installationOf(owner!, name!);
        return id === undefined
          ? notFound()
          : { status: 200, body: { id, app_id: appId, account: { login: owner } } };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/commits/([^/]+)/check-runs$`),
      operation: "checks.listForRef",
      handle: ([, owner, name, ref], request) => {
        const checkName = request.query.get("check_name");
        const byApp = request.query.get("app_id");
        let runs = (checkRunsByCommit.get(`${owner}/${name}@${ref}`) ?? [])
          .map((id) => checkRuns.get(id)!)
          .filter((run) => !checkName || run.name === checkName)
          .filter(() => !byApp || Number(byApp) === appId)
          .sort((a, b) => b.id - a.id);
        if (request.query.get("filter") !== "all") {
          const seen = new Set<string>();
          runs = runs.filter((run) => !seen.has(run.name) && Boolean(seen.add(run.name)));
        }
        const perPage = Number(request.query.get("per_page") ?? 30);
        return {
          status: 200,
          body: { total_count: runs.length, check_runs: runs.slice(0, perPage).map(toApi) },
        };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${repo}/check-runs$`),
      operation: "checks.create",
      handle: ([, owner, name], request) => {
        const body = JSON.parse(request.body) as Record<string, unknown>;
        const output = (body.output ?? {}) as Record<string, string | undefined>;
        const run: StoredCheckRun = {
          id: (nextId += 1),
          owner: owner!,
          repo: name!,
          name: String(body.name),
          head_sha: String(body.head_sha),
          external_id: typeof body.external_id === "string" ? body.external_id : null,
          status: String(body.conclusion ? "completed" : (body.status ?? "queued")),
          conclusion: typeof body.conclusion === "string" ? body.conclusion : null,
          details_url: typeof body.details_url === "string" ? body.details_url : null,
          output: {
            title: output.title ?? null,
            summary: output.summary ?? null,
            text: output.text ?? null,
          },
          actions: Array.isArray(body.actions) ? body.actions : [],
          started_at: new Date(clock()).toISOString(),
          completed_at: typeof body.completed_at === "string" ? body.completed_at : null,
        };
        checkRuns.set(run.id, run);
        const commit = `${run.owner}/${run.repo}@${run.head_sha}`;
        checkRunsByCommit.set(commit, [...(checkRunsByCommit.get(commit) ?? []), run.id]);
        return { status: 201, body: toApi(run), afterSend: emit(created, run) };
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${repo}/check-runs/(\\d+)$`),
      operation: "checks.update",
      handle: ([, , , id], request) => {
        const run = checkRuns.get(Number(id));
        if (!run) return notFound();
        const body = JSON.parse(request.body) as Record<string, unknown>;
        const output = body.output as Record<string, string | undefined> | undefined;
        if (typeof body.status === "string") run.status = body.status;
        if (typeof body.conclusion === "string") {
          run.conclusion = body.conclusion;
          run.status = "completed";
        }
        if (typeof body.details_url === "string") run.details_url = body.details_url;
        if (typeof body.external_id === "string") run.external_id = body.external_id;
        if (output) {
          run.output = {
            title: output.title ?? run.output.title,
            summary: output.summary ?? run.output.summary,
            text: output.text ?? run.output.text,
          };
        }
        if (Array.isArray(body.actions)) run.actions = body.actions;
        return { status: 200, body: toApi(run), afterSend: emit(updated, run) };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/check-runs/(\\d+)$`),
      operation: "checks.get",
      handle: ([, , , id]) => {
        const run = checkRuns.get(Number(id));
        return run ? { status: 200, body: toApi(run) } : notFound();
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/check-runs/(\\d+)/annotations$`),
      operation: "checks.listAnnotations",
      handle: () => ({ status: 200, body: [] }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/collaborators/([^/]+)/permission$`),
      operation: "repos.getCollaboratorPermissionLevel",
      // Accounts named outsider-* have no access (the outsiders scenario); everyone else writes.
      handle: ([, , , username]) => {
        const role = username?.startsWith("outsider-") ? "none" : "write";
        return {
          status: 200,
          body: { permission: role, role_name: role, user: { login: username } },
        };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/contents/(.+)$`),
      operation: "repos.getContent",
      // No policy file anywhere: the built-in defaults apply.
      handle: () => notFound(),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/commits/([^/]+)/pulls$`),
      operation: "repos.listPullRequestsAssociatedWithCommit",
      handle: ([, owner, name, sha]) => {
        const execution = model().executionOfCommit(owner!, name!, sha!);
        const pull =
          execution?.pullNumber !== undefined
            ? pullOf(owner!, name!, execution.pullNumber)
            : undefined;
        return { status: 200, body: pull ? [pull] : [] };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/pulls/(\\d+)$`),
      operation: "pulls.get",
      handle: ([, owner, name, number]) => {
        const pull = pullOf(owner!, name!, Number(number));
        return pull ? { status: 200, body: pull } : notFound();
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/issues/(\\d+)/comments$`),
      operation: "issues.listComments",
      handle: ([, owner, name, number], request) =>
        listThread(`${owner}/${name}#${number}`, request),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${repo}/issues/(\\d+)/comments$`),
      operation: "issues.createComment",
      handle: ([, owner, name, number], request) => {
        const { body } = JSON.parse(request.body) as { body: string };
        const comment = addComment(`${owner}/${name}#${number}`, body, {
          login: botLogin,
          type: "Bot",
        });
        return { status: 201, body: commentToApi(comment) };
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${repo}/issues/comments/(\\d+)$`),
      operation: "issues.updateComment",
      handle: ([, , , id], request) => {
        const comment = comments.get(Number(id));
        if (!comment) return notFound();
        comment.body = (JSON.parse(request.body) as { body: string }).body;
        comment.updated_at = new Date(clock()).toISOString();
        return { status: 200, body: commentToApi(comment) };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${repo}/issues/comments/(\\d+)/reactions$`),
      operation: "reactions.createForIssueComment",
      handle: ([, , , id], request) => {
        if (!comments.has(Number(id))) return notFound();
        const { content } = JSON.parse(request.body) as { content: string };
        const key = `${id}:${content}`;
        const existed = reactions.has(key);
        reactions.add(key);
        return {
          status: existed ? 200 : 201,
          body: { id: (nextId += 1), content, user: { login: botLogin, type: "Bot" } },
        };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${repo}/commits/([^/]+)/comments$`),
      operation: "repos.listCommentsForCommit",
      handle: ([, owner, name, sha], request) => listThread(`${owner}/${name}@${sha}`, request),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${repo}/commits/([^/]+)/comments$`),
      operation: "repos.createCommitComment",
      handle: ([, owner, name, sha], request) => {
        const { body } = JSON.parse(request.body) as { body: string };
        const comment = addComment(`${owner}/${name}@${sha}`, body, {
          login: botLogin,
          type: "Bot",
        });
        return { status: 201, body: commentToApi(comment) };
      },
    },
    {
      method: "GET",
      pattern: /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
      operation: "teams.getMembershipForUserInOrg",
      handle: () => notFound(),
    },
    {
      // What changed since the last approved release (issue 16): one commit ahead.
      method: "GET",
      pattern: new RegExp(`^${repo}/compare/([0-9a-f]+)\\.\\.\\.([0-9a-f]+)$`),
      operation: "repos.compareCommitsWithBasehead",
      handle: ([, owner, name, base, head]) => ({
        status: 200,
        body: {
          status: base === head ? "identical" : "ahead",
          ahead_by: base === head ? 0 : 1,
          behind_by: 0,
          total_commits: base === head ? 0 : 1,
          html_url: `https://github.com/${owner}/${name}/compare/${base}...${head}`,
          commits:
            base === head
              ? []
              : [
                  {
                    sha: head,
                    commit: { message: "Change", author: { name: "Author" } },
                    author: { login: "author" },
                  },
                ],
        },
      }),
    },
    {
      method: "POST",
      pattern: /^\/graphql$/,
      operation: "graphql",
      handle: (_match, request) =>
        request.body.includes("query describeCommits")
          ? describeCommits(request.body)
          : {
              status: 200,
              body: {
                data: {
                  repository: {
                    object: {
                      authors: { nodes: [{ user: { login: "author" } }] },
                      committer: { user: { login: "web-flow" } },
                      associatedPullRequests: {
                        nodes: [
                          { number: 1, author: { login: "author" }, mergedBy: { login: "merger" } },
                        ],
                      },
                    },
                  },
                },
              },
            },
    },
  ];

  const fake = await serveFake((request) => {
    const route = routes.find(
      (candidate) => candidate.method === request.method && candidate.pattern.test(request.path),
    );
    const auth = String(request.headers.authorization ?? "");
    const token = /^(?:token|bearer) (.+)$/i.exec(auth)?.[1] ?? "";
    const installationId = tokens.get(token);
    const caller: Caller = { key: installationId ?? "app" };
    if (installationId === undefined && !token.startsWith("ey")) {
      return { status: 401, body: { message: "Bad credentials" } };
    }
    if (!route) {
      unhandled.add(`${request.method} ${request.path}`);
      return notFound();
    }
    calls.add(route.operation);
    if (caller.key === "app")
      return route.handle(route.pattern.exec(request.path)!, request, caller);

    const budget = limitsOf(caller.key);
    const over = budget.admit(request.arrivedAt, createsContent(request));
    if (over) {
      limitErrors.add(over.kind);
      return over.kind === "secondary"
        ? {
            status: 403,
            body: {
              message:
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
              documentation_url:
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            },
            headers: { "retry-after": String(over.retryAfterSeconds) },
          }
        : {
            status: 403,
            body: { message: `API rate limit exceeded for installation ID ${caller.key}.` },
            headers: {
              "x-ratelimit-limit": String(documentedLimits.primaryPerHour),
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": String(over.resetAt ?? 0),
            },
          };
    }
    const reply = route.handle(route.pattern.exec(request.path)!, request, caller);
    const afterSend = reply.afterSend;
    return {
      ...reply,
      afterSend: (at) => {
        budget.done();
        afterSend?.(at);
      },
    };
  }, latencyMs);

  return {
    ...fake,
    calls,
    unhandled,
    limitErrors,
    tokensIssued,
    limits,
    checkRuns: () => [...checkRuns.values()].map(toApi),
    onCheckRunCreated(listener: CheckRunListener) {
      created.add(listener);
      return () => created.delete(listener);
    },
    onCheckRunUpdated(listener: CheckRunListener) {
      updated.add(listener);
      return () => updated.delete(listener);
    },
    /** A person's comment, as the driver posts it before sending the webhook. */
    addHumanComment(owner: string, repo: string, number: number, body: string, login: string) {
      return commentToApi(addComment(`${owner}/${repo}#${number}`, body, { login, type: "User" }));
    },
    reset() {
      for (const counter of [calls, unhandled, limitErrors, tokensIssued]) counter.reset();
      for (const map of [limits, tokens, checkRuns, checkRunsByCommit, comments, commentsByThread])
        map.clear();
      reactions.clear();
      created.clear();
      updated.clear();
    },
  };
}

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;

function notFound(): FakeReply {
  return {
    status: 404,
    body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
  };
}

/** Every mutative request, except token requests and GraphQL queries (only mutations create). */
function createsContent(request: FakeRequest): boolean {
  if (request.method === "GET" || request.method === "HEAD") return false;
  if (request.path.endsWith("/access_tokens")) return false;
  if (request.path === "/graphql") {
    const query = (JSON.parse(request.body || "{}") as { query?: string }).query ?? "";
    return query.trimStart().startsWith("mutation");
  }
  return true;
}

function paginate(items: unknown[], request: FakeRequest): FakeReply {
  const perPage = Number(request.query.get("per_page") ?? 30);
  const page = Number(request.query.get("page") ?? 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URLSearchParams(request.query);
    next.set("page", String(page + 1));
    headers.link = `<http://${String(request.headers.host)}${request.path}?${next.toString()}>; rel="next"`;
  }
  return { status: 200, body: slice, headers };
}

/** describe-commits.ts's GraphQL query: each aliased commit with a subject and a pull request. */
function describeCommits(body: string): FakeReply {
  const variables = (JSON.parse(body) as { variables?: Record<string, unknown> }).variables ?? {};
  const repository = Object.fromEntries(
    Object.keys(variables)
      .filter((alias) => /^c\d+$/.test(alias))
      .map((alias) => [
        alias,
        {
          messageHeadline: "Change",
          url: `https://github.com/commit/${String(variables[alias])}`,
          associatedPullRequests: {
            nodes: [{ number: 1, title: "Change", url: "https://github.com/pull/1" }],
          },
        },
      ]),
  );
  return { status: 200, body: { data: { repository } } };
}
