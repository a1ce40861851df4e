import { githubApi, repo, type JsonBody } from "./github-api.js";

/**
 * Nock helpers for the endpoints the policy and the quorum use, one per endpoint, like
 * github-api.ts (repo = octo-org/service).
 */
export const policyFilePath = "/contents/.github%2Fcodepipeline-approvals.yml";

/**
 * The policy file as Probot's config plugin reads it (raw media type, default branch: no `ref`).
 * `null` answers 404, as GitHub does for a missing file.
 */
export function nockPolicyFile(yaml: string | null, target = repo, status = 200) {
  const scope = githubApi()
    .get(`/repos/${target.owner}/${target.repo}${policyFilePath}`)
    .matchHeader("accept", /raw/);
  if (yaml === null) return scope.reply(404, { message: "Not Found" });
  if (status !== 200) return scope.reply(status, { message: "Server Error" });
  return scope.reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
}

/** No file in the repository, none in the owner's `.github` repository: the defaults apply. */
export function nockNoPolicy(target = repo) {
  return [
    nockPolicyFile(null, target),
    nockPolicyFile(null, { owner: target.owner, repo: ".github" }),
  ];
}

export function nockTeamMembership(
  team: string,
  username: string,
  answer: "active" | "pending" | 404 | 500,
) {
  const [org, slug] = team.split("/");
  const scope = githubApi().get(`/orgs/${org}/teams/${slug}/memberships/${username}`);
  if (answer === 404) return scope.reply(404, { message: "Not Found" });
  if (answer === 500) return scope.reply(500, { message: "Server Error" });
  return scope.reply(200, { state: answer, role: "member", url: "https://api.github.com/x" });
}

export interface ChangeAuthorsReply {
  /** Logins; null for an email linked to no GitHub account. */
  authors?: (string | null)[];
  /** Left out: GitHub itself committed (a web merge); null: an email linked to no account. */
  committer?: string | null;
  pulls?: { number: number; author: string | null; mergedBy?: string | null }[];
  /** More authors or pull requests than one answer lists. */
  morePages?: boolean;
}

/** The GraphQL query of change-authors.ts, answered as GitHub would. */
export function nockChangeAuthors(reply: ChangeAuthorsReply, queries: JsonBody[] = []) {
  const user = (login: string | null | undefined) => (login ? { login } : null);
  const gitActor = (login: string | null) => ({
    email: login ? `${login}@users.noreply.github.com` : "someone@example.com",
    user: user(login),
  });
  const pageInfo = { hasNextPage: reply.morePages ?? false };
  return githubApi()
    .post("/graphql", (body: JsonBody) => {
      if (!String(body.query).includes("query changeAuthors")) return false;
      queries.push(body);
      return true;
    })
    .reply(200, {
      data: {
        repository: {
          object: {
            authors: { pageInfo, nodes: (reply.authors ?? []).map(gitActor) },
            committer:
              reply.committer === undefined
                ? { email: "noreply@github.com", user: null }
                : gitActor(reply.committer),
            associatedPullRequests: {
              pageInfo,
              nodes: (reply.pulls ?? []).map((pull) => ({
                number: pull.number,
                author: user(pull.author),
                mergedBy: user(pull.mergedBy),
              })),
            },
          },
        },
      },
    });
}

/**
 * A check run's annotation log, shared by every replica in a test: each PATCH appends its
 * `output.annotations`, and GET .../annotations lists them in append order, as GitHub does.
 * `seed` holds annotations written before the test. With `holdPatches: n`, the first n PATCHes
 * are answered only once all n have arrived, so n replicas all append before any of them reads:
 * the race the quorum must survive. `hide` drops annotations from reads (a lagging replica).
 * The interceptors persist; tests assert on `bodies` and `reads` instead of on the scopes.
 */
export function fakeAnnotationLog(
  checkRunId: number,
  {
    holdPatches = 0,
    seed = [] as object[],
    hide = false,
  }: { holdPatches?: number; seed?: object[]; hide?: boolean } = {},
) {
  const annotations: JsonBody[] = seed.map((annotation) => ({ ...annotation }));
  const bodies: JsonBody[] = [];
  const reads: number[] = [];
  const waiting: (() => void)[] = [];
  const path = `/repos/${repo.owner}/${repo.repo}/check-runs/${checkRunId}`;
  githubApi()
    .persist()
    .patch(path)
    .reply(async (_uri, body) => {
      const update = body as JsonBody;
      bodies.push(update);
      const output = (update.output ?? {}) as JsonBody;
      annotations.push(...((output.annotations as JsonBody[] | undefined) ?? []));
      if (bodies.length <= holdPatches) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === holdPatches) for (const release of waiting) release();
        });
      }
      return [200, { id: checkRunId, ...update }];
    });
  githubApi()
    .persist()
    .get(`${path}/annotations`)
    .query(true)
    .reply(() => {
      reads.push(annotations.length);
      const listed = hide ? [] : annotations;
      return [200, listed.map((annotation) => ({ ...annotation, blob_href: "https://x" }))];
    });
  return { annotations, bodies, reads };
}
