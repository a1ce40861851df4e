import {
  appBot,
  modelAppId,
  modelInstallationId,
  modelRepo,
  type GitHubModel,
  type ModelCheckRun,
  type ModelComment,
} from "./github-model.js";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RoutedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One routed request: what it is called in traces, whether it writes, and how it applies. */
export interface Operation {
  name: string;
  write: boolean;
  apply: () => Reply;
}

const repoPath = `/repos/${modelRepo.owner}/${modelRepo.repo}`;
const jwt = "model-app-jwt";
const outputLimit = 65_535;

/** The JWT the replicas' createJwt hands out, so app-only routes can tell the app from an installation. */
export const modelJwt = jwt;

/** GitHub's REST routes the bridge calls, over the model. Unknown routes answer 404 and are counted. */
export function routeGitHub(model: GitHubModel, request: RoutedRequest): Operation {
  const { method, url, body } = request;
  // Octokit encodes the contents path's slashes (`.github%2Fcodepipeline-approvals.yml`).
  const path = decodeURIComponent(url.pathname);
  const query = url.searchParams;
  const op = (name: string, write: boolean, apply: () => Reply): Operation => ({
    name,
    write,
    apply,
  });
  let m: RegExpExecArray | null;

  if (method === "POST" && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
    const id = Number(m[1]);
    return op("apps.createInstallationAccessToken", false, () =>
      !isApp(request)
        ? { status: 401, body: { message: "A JSON web token could not be decoded" } }
        : id !== modelInstallationId
          ? notFound()
          : {
              status: 201,
              body: {
                token: `ghs_model_${id}`,
                expires_at: new Date(Date.now() + 3_600_000 * 24 * 30).toISOString(),
                permissions: { checks: "write", issues: "write", pull_requests: "read" },
                repository_selection: "all",
              },
            },
    );
  }
  if (method === "POST" && path === "/graphql") {
    return op("graphql.describeCommits", false, () => describeCommits(body));
  }
  if (!path.startsWith(`${repoPath}/`) && path !== repoPath) {
    // The policy's fallback repository (`<owner>/.github`) has no file either.
    if (method === "GET" && /^\/repos\/[^/]+\/\.github\/contents\//.test(path)) {
      return op("repos.getContent", false, () => notFound());
    }
    return op(`unknown ${method} ${path}`, false, () => notFound());
  }
  const rest = path.slice(repoPath.length);

  if (method === "GET" && rest === "/installation") {
    return op("apps.getRepoInstallation", false, () =>
      isApp(request)
        ? { status: 200, body: { id: modelInstallationId, app_id: modelAppId } }
        : { status: 401, body: { message: "JWT required" } },
    );
  }
  if (method === "GET" && (m = /^\/commits\/([0-9a-f]{40})\/check-runs$/.exec(rest))) {
    const sha = m[1]!;
    return op("checks.listForRef", false, () => listForRef(model, sha, query));
  }
  if (method === "POST" && rest === "/check-runs") {
    return op("checks.create", true, () => createCheckRun(model, body));
  }
  if ((m = /^\/check-runs\/(\d+)$/.exec(rest))) {
    const run = model.checkRuns.find((candidate) => candidate.id === Number(m![1]));
    if (method === "GET") {
      return op("checks.get", false, () => (run ? ok(checkRunToApi(run)) : notFound()));
    }
    if (method === "PATCH") {
      return op("checks.update", true, () => (run ? updateCheckRun(model, run, body) : notFound()));
    }
  }
  if (method === "GET" && (m = /^\/check-runs\/(\d+)\/annotations$/.exec(rest))) {
    const run = model.checkRuns.find((candidate) => candidate.id === Number(m![1]));
    return op("checks.listAnnotations", false, () =>
      run ? page(url, run.annotations.map(annotationToApi(run))) : notFound(),
    );
  }
  if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
    const thread = `pr-${m[1]}`;
    const exists = model.pullRequests.some((pull) => pull.number === Number(m![1]));
    if (method === "GET") {
      return op("issues.listComments", false, () => {
        if (!exists) return notFound();
        const since = query.get("since");
        const comments = model.comments
          .filter((comment) => comment.thread === thread)
          .filter((comment) => !since || comment.updated_at >= since);
        return page(url, comments.map(commentToApi));
      });
    }
    if (method === "POST") {
      return op("issues.createComment", true, () => {
        if (!exists) return notFound();
        const comment = model.addComment(thread, String(body.body ?? ""), appBot, modelAppId);
        return { status: 201, body: commentToApi(comment) };
      });
    }
  }
  if (method === "DELETE" && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
    const id = Number(m[1]);
    return op("issues.deleteComment", true, () => {
      const index = model.comments.findIndex((candidate) => candidate.id === id);
      if (index < 0) return notFound();
      if (model.comments[index]!.viaAppId !== modelAppId) {
        return { status: 403, body: { message: "Forbidden" } };
      }
      model.comments.splice(index, 1);
      return { status: 204 };
    });
  }
  if (method === "PATCH" && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
    const id = Number(m[1]);
    return op("issues.updateComment", true, () => {
      const comment = model.comments.find((candidate) => candidate.id === id);
      if (!comment) return notFound();
      // An installation may edit only the comments its app wrote.
      if (comment.viaAppId !== modelAppId) return { status: 403, body: { message: "Forbidden" } };
      return ok(commentToApi(model.editComment(id, String(body.body ?? ""))!));
    });
  }
  if (method === "POST" && (m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest))) {
    const key = `${m[1]}:${String(body.content)}`;
    return op("reactions.createForIssueComment", true, () => {
      const existed = model.reactions.has(key);
      model.reactions.add(key);
      return { status: existed ? 200 : 201, body: { id: 1, content: body.content, user: appBot } };
    });
  }
  if ((m = /^\/commits\/([0-9a-f]{40})\/comments$/.exec(rest))) {
    const thread = `commit-${m[1]}`;
    if (method === "GET") {
      return op("repos.listCommentsForCommit", false, () =>
        page(url, model.comments.filter((comment) => comment.thread === thread).map(commentToApi)),
      );
    }
    if (method === "POST") {
      return op("repos.createCommitComment", true, () => ({
        status: 201,
        body: commentToApi(model.addComment(thread, String(body.body ?? ""), appBot, modelAppId)),
      }));
    }
  }
  if (method === "GET" && (m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(rest))) {
    const sha = m[1]!;
    return op("repos.listPullRequestsAssociatedWithCommit", false, () =>
      ok(model.pullsOf(sha).map(pullToApi)),
    );
  }
  if (method === "GET" && (m = /^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/.exec(rest))) {
    const [base, head] = [m[1]!, m[2]!];
    return op("repos.compareCommitsWithBasehead", false, () => compare(base, head));
  }
  if (method === "GET" && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
    const number = Number(m[1]);
    return op("pulls.get", false, () => {
      const pull = model.pullRequests.find((candidate) => candidate.number === number);
      return pull ? ok(pullToApi(pull)) : notFound();
    });
  }
  if (method === "GET" && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
    const login = decodeURIComponent(m[1]!);
    return op("repos.getCollaboratorPermissionLevel", false, () => {
      const account = model.account(login);
      if (!account) return notFound();
      return ok({
        permission: account.permission,
        role_name: account.permission,
        user: { login: account.login, id: account.id, type: "User" },
      });
    });
  }
  if (method === "GET" && rest.startsWith("/contents/")) {
    return op("repos.getContent", false, () => {
      const file = model.policyFile;
      if (file === undefined || rest !== "/contents/.github/codepipeline-approvals.yml") {
        return notFound();
      }
      const etag = `"${hash(file)}"`;
      if (request.headers.get("if-none-match") === etag) return { status: 304, headers: { etag } };
      return {
        status: 200,
        body: file,
        headers: { "content-type": "application/vnd.github.raw; charset=utf-8", etag },
      };
    });
  }
  return op(`unknown ${method} ${rest}`, false, () => notFound());
}

/**
 * The model keeps no commit graph: every commit is one ahead of any other, which is all the
 * protocol needs (the change list only names the change; it never decides anything).
 * https://docs.github.com/en/rest/commits/commits#compare-two-commits
 */
function compare(base: string, head: string): Reply {
  const identical = base === head;
  return ok({
    status: identical ? "identical" : "ahead",
    ahead_by: identical ? 0 : 1,
    behind_by: 0,
    html_url: `https://github.com/${modelRepo.owner}/${modelRepo.repo}/compare/${base}...${head}`,
    commits: identical
      ? []
      : [
          {
            sha: head,
            commit: { message: "model change", author: { name: "Model" } },
            author: null,
          },
        ],
  });
}

/** The one GraphQL query intake makes (describe-commits.ts): every asked commit, no pull request. */
function describeCommits(body: Record<string, unknown>): Reply {
  const variables = (body["variables"] ?? {}) as Record<string, unknown>;
  const query = typeof body["query"] === "string" ? body["query"] : "";
  if (!query.includes("query describeCommits")) {
    return {
      status: 200,
      body: { errors: [{ message: "the model answers describeCommits only" }] },
    };
  }
  const commits = Object.entries(variables).filter(([name]) => /^c\d+$/.test(name));
  return ok({
    data: {
      repository: Object.fromEntries(
        commits.map(([name, sha]) => [
          name,
          {
            messageHeadline: "model change",
            url: `https://github.com/${modelRepo.owner}/${modelRepo.repo}/commit/${String(sha)}`,
            associatedPullRequests: { nodes: [] },
          },
        ]),
      ),
    },
  });
}

function isApp(request: RoutedRequest): boolean {
  return request.headers.get("authorization") === `bearer ${jwt}`;
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function notFound(): Reply {
  return { status: 404, body: { message: "Not Found" } };
}

function invalid(message: string): Reply {
  return { status: 422, body: { message } };
}

/** `page` and `per_page`, with a Link header to the next page as GitHub sends it. */
function page(url: URL, items: unknown[]): Reply {
  const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
  const number = Number(url.searchParams.get("page") ?? 1);
  const slice = items.slice((number - 1) * perPage, number * perPage);
  if (number * perPage >= items.length) return ok(slice);
  const next = new URL(url);
  next.searchParams.set("page", String(number + 1));
  return { status: 200, body: slice, headers: { link: `<${next.href}>; rel="next"` } };
}

/**
 * `filter=latest` (the default) keeps the most recently created run of each name; `all` keeps
 * every run. Newest first.
 */
function listForRef(model: GitHubModel, sha: string, query: URLSearchParams): Reply {
  const name = query.get("check_name");
  const status = query.get("status");
  const appId = query.get("app_id");
  let runs = model
    .runsOn(sha)
    .filter((run) => !name || run.name === name)
    .filter((run) => !status || run.status === status)
    .filter(() => !appId || Number(appId) === modelAppId)
    .sort((a, b) => b.id - a.id);
  if ((query.get("filter") ?? "latest") === "latest") {
    const seen = new Set<string>();
    runs = runs.filter((run) => !seen.has(run.name) && Boolean(seen.add(run.name)));
  }
  const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
  const number = Number(query.get("page") ?? 1);
  return ok({
    total_count: runs.length,
    check_runs: runs.slice((number - 1) * perPage, number * perPage).map(checkRunToApi),
  });
}

type Output = { title?: unknown; summary?: unknown; text?: unknown; annotations?: unknown };

function checkOutput(output: Output | undefined): string | undefined {
  if (!output) return undefined;
  if (typeof output.title !== "string" || typeof output.summary !== "string") {
    return "output needs a title and a summary";
  }
  if (output.summary.length > outputLimit)
    return "output.summary is too long (maximum is 65535 characters)";
  if (typeof output.text === "string" && output.text.length > outputLimit) {
    return "output.text is too long (maximum is 65535 characters)";
  }
  if (Array.isArray(output.annotations) && output.annotations.length > 50) {
    return "at most 50 annotations per request";
  }
  return undefined;
}

function checkActions(actions: unknown): string | undefined {
  if (actions === undefined) return undefined;
  if (!Array.isArray(actions) || actions.length > 3) return "at most 3 actions";
  for (const action of actions as Record<string, unknown>[]) {
    if (String(action.label ?? "").length > 20) return "action label longer than 20";
    if (String(action.identifier ?? "").length > 20) return "action identifier longer than 20";
    if (String(action.description ?? "").length > 40) return "action description longer than 40";
  }
  return undefined;
}

function createCheckRun(model: GitHubModel, body: Record<string, unknown>): Reply {
  const output = body.output as Output | undefined;
  const problem = checkOutput(output) ?? checkActions(body.actions);
  if (problem) return invalid(problem);
  if (typeof body.name !== "string" || typeof body.head_sha !== "string") {
    return invalid("name and head_sha are required");
  }
  const run: ModelCheckRun = {
    id: model.newId(),
    name: body.name,
    head_sha: body.head_sha,
    external_id: typeof body.external_id === "string" ? body.external_id : null,
    details_url: typeof body.details_url === "string" ? body.details_url : null,
    status: body.conclusion ? "completed" : String(body.status ?? "queued"),
    conclusion: typeof body.conclusion === "string" ? body.conclusion : null,
    output: {
      title: (output?.title as string | undefined) ?? null,
      summary: (output?.summary as string | undefined) ?? null,
      text: (output?.text as string | undefined) ?? null,
    },
    actions: (body.actions as ModelCheckRun["actions"] | undefined) ?? [],
    annotations: annotationsOf(output),
    createdAt: Date.now(),
    started_at: model.now(),
    completed_at: body.conclusion ? model.now() : null,
  };
  model.checkRuns.push(run);
  return { status: 201, body: checkRunToApi(run) };
}

/** Last writer wins, field by field; annotations are appended to those already there. */
function updateCheckRun(
  model: GitHubModel,
  run: ModelCheckRun,
  body: Record<string, unknown>,
): Reply {
  const output = body.output as Output | undefined;
  const problem = checkOutput(output) ?? checkActions(body.actions);
  if (problem) return invalid(problem);
  if (typeof body.name === "string") run.name = body.name;
  if (typeof body.external_id === "string") run.external_id = body.external_id;
  if (typeof body.details_url === "string") run.details_url = body.details_url;
  if (typeof body.status === "string") run.status = body.status;
  if (typeof body.conclusion === "string") {
    run.conclusion = body.conclusion;
    run.status = "completed";
    run.completed_at = model.now();
  }
  if (output) {
    run.output = {
      title: output.title as string,
      summary: output.summary as string,
      text: typeof output.text === "string" ? output.text : run.output.text,
    };
    run.annotations.push(...annotationsOf(output));
  }
  if (body.actions !== undefined) run.actions = body.actions as ModelCheckRun["actions"];
  return ok(checkRunToApi(run));
}

function annotationsOf(output: Output | undefined) {
  const list = Array.isArray(output?.annotations) ? output.annotations : [];
  return (list as Record<string, unknown>[]).map((annotation) => ({
    path: String(annotation.path),
    start_line: Number(annotation.start_line),
    end_line: Number(annotation.end_line),
    annotation_level: String(annotation.annotation_level),
    title: typeof annotation.title === "string" ? annotation.title : null,
    message: String(annotation.message),
    raw_details: typeof annotation.raw_details === "string" ? annotation.raw_details : null,
  }));
}

export function checkRunToApi(run: ModelCheckRun) {
  const { owner, repo } = modelRepo;
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${run.id}`,
    html_url: `https://github.com/${owner}/${repo}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      ...run.output,
      annotations_count: run.annotations.length,
      annotations_url: `https://api.github.com/repos/${owner}/${repo}/check-runs/${run.id}/annotations`,
    },
    actions: run.actions,
    check_suite: { id: 1 },
    app: { id: modelAppId, slug: "codepipeline-approvals", name: "CodePipeline approvals" },
    pull_requests: [],
  };
}

function annotationToApi(run: ModelCheckRun) {
  return (annotation: ModelCheckRun["annotations"][number]) => ({
    ...annotation,
    start_column: null,
    end_column: null,
    blob_href: `https://github.com/${modelRepo.owner}/${modelRepo.repo}/blob/${run.head_sha}/${annotation.path}`,
  });
}

export function commentToApi(comment: ModelComment) {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    user: { login: comment.user.login, id: comment.user.id, type: comment.user.type },
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    performed_via_github_app:
      comment.viaAppId === undefined
        ? null
        : { id: comment.viaAppId, slug: "codepipeline-approvals", name: "CodePipeline approvals" },
  };
}

function pullToApi(pull: { number: number; headSha: string }) {
  return {
    number: pull.number,
    state: "open",
    title: "Release",
    merged: false,
    merged_at: null,
    merge_commit_sha: "f".repeat(40),
    head: { sha: pull.headSha, ref: `feature-${pull.number}` },
    base: { ref: "main" },
    user: { login: "author", id: 5, type: "User" },
    html_url: `https://github.com/${modelRepo.owner}/${modelRepo.repo}/pull/${pull.number}`,
  };
}

function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}
