import { githubApi, repo, type JsonBody } from "./github-api.js";

/**
 * Nock helpers for what a reviewer sees about a release (issue 16), one per endpoint, answering
 * in GitHub's published response shapes (repo = octo-org/service).
 */
export interface CompareSpec {
  status: "ahead" | "behind" | "diverged" | "identical";
  aheadBy?: number;
  behindBy?: number;
  /** The commits GitHub lists, oldest first: sha, message, account login or git name. */
  commits?: { sha: string; message: string; login?: string; name?: string }[];
}

/**
 * GET /repos/{owner}/{repo}/compare/{base}...{head}; a number answers that HTTP status. `delayMs`
 * holds the answer back, as a slow GitHub would.
 */
export function nockCompare(
  base: string,
  head: string,
  reply: CompareSpec | number,
  { target = repo, delayMs = 0 } = {},
) {
  const scope = githubApi()
    .get(`/repos/${target.owner}/${target.repo}/compare/${base}...${head}`)
    .query(true)
    .delay(delayMs);
  if (typeof reply === "number") return scope.reply(reply, { message: `HTTP ${reply} (test)` });
  const commits = reply.commits ?? [];
  return scope.reply(200, {
    url: `https://api.github.com/repos/${target.owner}/${target.repo}/compare/${base}...${head}`,
    html_url: `https://github.com/${target.owner}/${target.repo}/compare/${base}...${head}`,
    permalink_url: `https://github.com/${target.owner}/${target.repo}/compare/${target.owner}:${base.slice(0, 7)}...${target.owner}:${head.slice(0, 7)}`,
    status: reply.status,
    ahead_by: reply.aheadBy ?? commits.length,
    behind_by: reply.behindBy ?? 0,
    total_commits: reply.aheadBy ?? commits.length,
    commits: commits.map((commit) => ({
      sha: commit.sha,
      html_url: `https://github.com/${target.owner}/${target.repo}/commit/${commit.sha}`,
      commit: {
        message: commit.message,
        author: { name: commit.name ?? commit.login ?? "someone", email: "x@example.com" },
      },
      author: commit.login ? { login: commit.login, id: 1, type: "User" } : null,
    })),
    files: [],
  });
}

export interface DescribedCommit {
  sha: string;
  subject: string;
  pull?: { number: number; title: string };
}

/**
 * The GraphQL query of describe-commits.ts: each commit's first line and the pull request GitHub
 * associates with it, by the alias the query gave it. A number answers that HTTP status.
 */
export function nockDescribeCommits(
  commits: DescribedCommit[] | number,
  queries: JsonBody[] = [],
  target = repo,
) {
  const scope = githubApi().post("/graphql", (body: JsonBody) => {
    if (!String(body.query).includes("query describeCommits")) return false;
    queries.push(body);
    return true;
  });
  if (typeof commits === "number") return scope.reply(commits, { message: "Server Error" });
  return scope.reply(200, (_uri, body) => {
    const variables = (body as { variables: Record<string, string> }).variables;
    const repository: Record<string, unknown> = {};
    for (const [alias, sha] of Object.entries(variables)) {
      if (!/^c\d+$/.test(alias)) continue;
      const known = commits.find((commit) => commit.sha === sha);
      repository[alias] = known
        ? {
            messageHeadline: known.subject,
            url: `https://github.com/${target.owner}/${target.repo}/commit/${sha}`,
            associatedPullRequests: {
              nodes: known.pull
                ? [
                    {
                      ...known.pull,
                      url: `https://github.com/${target.owner}/${target.repo}/pull/${known.pull.number}`,
                    },
                  ]
                : [],
            },
          }
        : null;
    }
    return { data: { repository } };
  });
}
