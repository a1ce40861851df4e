import { z } from "zod";
import type { GitHubClient, RepoRef } from "./github-client.js";

/** What GitHub says names a commit: its first line, its page, the pull request it came in by. */
export interface CommitDescription {
  subject: string;
  url: string;
  pull?: { number: number; title: string; url: string };
}

const commitSchema = z
  .object({
    messageHeadline: z.string(),
    url: z.string(),
    associatedPullRequests: z.object({
      nodes: z.array(z.object({ number: z.int(), title: z.string(), url: z.string() }).nullable()),
    }),
  })
  .nullable();

/**
 * Several commits in one GraphQL query (one alias per commit) instead of one REST call each: the
 * first line of each message and the pull request GitHub associates with it, when there is one.
 * https://docs.github.com/en/graphql/reference/objects#commit
 */
export async function describeCommits(
  octokit: GitHubClient,
  repo: RepoRef,
  shas: readonly string[],
): Promise<Map<string, CommitDescription>> {
  const unique = [...new Set(shas)].filter((sha) => /^[0-9a-f]{40}$/i.test(sha));
  if (unique.length === 0) return new Map();
  const fields = unique
    .map(
      (_, index) => `c${index}: object(oid: $c${index}) {
      ... on Commit {
        messageHeadline
        url
        associatedPullRequests(first: 1) { nodes { number title url } }
      }
    }`,
    )
    .join("\n    ");
  const variables = unique.map((_, index) => `$c${index}: GitObjectID!`).join(", ");
  const query = `query describeCommits($owner: String!, $repo: String!, ${variables}) {
  repository(owner: $owner, name: $repo) {
    ${fields}
  }
}`;
  const answer = await octokit.graphql(query, {
    owner: repo.owner,
    repo: repo.repo,
    ...Object.fromEntries(unique.map((sha, index) => [`c${index}`, sha])),
  });
  const parsed = z
    .object({ repository: z.record(z.string(), commitSchema).nullable() })
    .safeParse(answer);
  if (!parsed.success) {
    throw new Error("GitHub's description of the commits was not understood", {
      cause: parsed.error,
    });
  }
  const described = new Map<string, CommitDescription>();
  unique.forEach((sha, index) => {
    const commit = parsed.data.repository?.[`c${index}`];
    if (!commit) return;
    const pull = commit.associatedPullRequests.nodes.find((node) => node !== null);
    described.set(sha, {
      subject: commit.messageHeadline,
      url: commit.url,
      ...(pull ? { pull } : {}),
    });
  });
  return described;
}
