import { z } from "zod";
import type { GitHubClient, RepoRef } from "./github-client.js";

/** Someone who took part in a change, and how. */
export interface ChangeAuthor {
  login: string;
  as: string;
}

/**
 * One GraphQL query instead of three REST calls: the commit's authors (the git author and every
 * Co-authored-by trailer GitHub links to an account), its committer, and the pull requests that
 * brought it in with their authors and who merged them.
 * https://docs.github.com/en/graphql/reference/objects#commit
 */
const query = `query changeAuthors($owner: String!, $repo: String!, $sha: GitObjectID!) {
  repository(owner: $owner, name: $repo) {
    object(oid: $sha) {
      ... on Commit {
        authors(first: 50) { nodes { user { login } } }
        committer { user { login } }
        associatedPullRequests(first: 20) {
          nodes { number author { login } mergedBy { login } }
        }
      }
    }
  }
}`;

const login = z.object({ login: z.string() }).nullish();
const responseSchema = z.object({
  repository: z
    .object({
      object: z
        .object({
          authors: z.object({ nodes: z.array(z.object({ user: login }).nullable()) }),
          committer: z.object({ user: login }).nullable(),
          associatedPullRequests: z.object({
            nodes: z.array(
              z.object({ number: z.number(), author: login, mergedBy: login }).nullable(),
            ),
          }),
        })
        .nullable(),
    })
    .nullable(),
});

/**
 * The people behind the commit a check run is on. Commits whose email is linked to no GitHub
 * account have no login and cannot be matched to anyone. Throws when the commit cannot be read.
 */
export async function getChangeAuthors(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<ChangeAuthor[]> {
  const parsed = responseSchema.safeParse(
    await octokit.graphql(query, { owner: repo.owner, repo: repo.repo, sha }),
  );
  if (!parsed.success) {
    throw new Error("GitHub's answer about the commit's authors was not understood", {
      cause: parsed.error,
    });
  }
  const commit = parsed.data.repository?.object;
  if (!commit) throw new Error(`commit ${sha} was not found in ${repo.owner}/${repo.repo}`);
  const people: ChangeAuthor[] = [];
  const add = (user: { login: string } | null | undefined, as: string) => {
    if (user) people.push({ login: user.login, as });
  };
  commit.authors.nodes.forEach((node, index) =>
    add(node?.user, index === 0 ? "commit author" : "commit co-author"),
  );
  add(commit.committer?.user, "committer");
  for (const pull of commit.associatedPullRequests.nodes) {
    if (!pull) continue;
    add(pull.author, `author of pull request #${pull.number}`);
    add(pull.mergedBy, `merged pull request #${pull.number}`);
  }
  return people;
}
