import { z } from "zod";
import type { GitHubClient, RepoRef } from "./github-client.js";

/**
 * Someone who took part in a change, and how. `login` is null for a git identity (author,
 * co-author, committer) whose email is linked to no GitHub account: somebody took part, but
 * nobody can say who, so `prevent_self_approval` cannot rule them out (`unattributed_changes`).
 */
export interface ChangeAuthor {
  login: string | null;
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
        authors(first: 50) { pageInfo { hasNextPage } nodes { email user { login } } }
        committer { email user { login } }
        associatedPullRequests(first: 20) {
          pageInfo { hasNextPage }
          nodes { number author { login } mergedBy { login } }
        }
      }
    }
  }
}`;

const login = z.object({ login: z.string() }).nullish();
const gitActor = z.object({ email: z.string().nullish(), user: login });
const pageInfo = z.object({ hasNextPage: z.boolean() }).optional();
const responseSchema = z.object({
  repository: z
    .object({
      object: z
        .object({
          authors: z.object({ pageInfo, nodes: z.array(gitActor.nullable()) }),
          committer: gitActor.nullable(),
          associatedPullRequests: z.object({
            pageInfo,
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
 * Commits made in GitHub's web interface (and merges and squashes done there) are committed by
 * GitHub itself, "GitHub <noreply@github.com>", which is no person.
 * https://docs.github.com/en/authentication/managing-commit-signature-verification/about-commit-signature-verification
 */
const githubCommitterEmail = "noreply@github.com";

/**
 * The people behind the commit a check run is on. A git identity whose email is linked to no
 * GitHub account is listed with a null login (it cannot be matched to anyone, which is itself an
 * answer the policy must weigh). Throws when the commit cannot be read, or when it has more
 * authors or pull requests than one answer holds: a partial list could miss the very person
 * approving, so the caller refuses (fails closed).
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
  if (commit.authors.pageInfo?.hasNextPage || commit.associatedPullRequests.pageInfo?.hasNextPage) {
    throw new Error(
      `commit ${sha} has more authors or pull requests than one answer lists, so not all could be checked`,
    );
  }
  const people: ChangeAuthor[] = [];
  const addGitActor = (actor: z.infer<typeof gitActor> | null | undefined, as: string) => {
    if (!actor) return;
    if (actor.user) people.push({ login: actor.user.login, as });
    else if (actor.email?.toLowerCase() !== githubCommitterEmail) people.push({ login: null, as });
  };
  commit.authors.nodes.forEach((node, index) =>
    addGitActor(node, index === 0 ? "commit author" : "commit co-author"),
  );
  addGitActor(commit.committer, "committer");
  for (const pull of commit.associatedPullRequests.nodes) {
    if (!pull) continue;
    // A pull request's author or merger is an account (a deleted one shows as null: nobody who
    // could approve any more).
    if (pull.author)
      people.push({ login: pull.author.login, as: `author of pull request #${pull.number}` });
    if (pull.mergedBy)
      people.push({ login: pull.mergedBy.login, as: `merged pull request #${pull.number}` });
  }
  return people;
}
