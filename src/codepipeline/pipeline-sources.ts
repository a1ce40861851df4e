import type { PipelineDeclaration } from "@aws-sdk/client-codepipeline";

/** A pipeline source action that reads a GitHub repository, and the artifact it produces. */
export interface GitHubSource {
  artifactName: string;
  owner: string;
  repo: string;
}

export interface SourceCommit {
  owner: string;
  repo: string;
  sha: string;
}

/**
 * The GitHub sources of a pipeline: CodeStar connections (`FullRepositoryId`) and the older GitHub
 * v1 action (`Owner`/`Repo`). https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
 * A connection may also point at Bitbucket or GitLab; those repositories simply have no installation.
 */
export function findGitHubSources(pipeline: PipelineDeclaration | undefined): GitHubSource[] {
  const sources: GitHubSource[] = [];
  for (const stage of pipeline?.stages ?? []) {
    for (const action of stage.actions ?? []) {
      const type = action.actionTypeId;
      if (type?.category !== "Source") continue;
      const config = action.configuration ?? {};
      const repository =
        type.provider === "CodeStarSourceConnection"
          ? splitFullName(config.FullRepositoryId)
          : type.provider === "GitHub" && config.Owner && config.Repo
            ? { owner: config.Owner, repo: config.Repo }
            : undefined;
      if (!repository) continue;
      for (const artifact of action.outputArtifacts ?? []) {
        if (artifact.name) sources.push({ artifactName: artifact.name, ...repository });
      }
    }
  }
  return sources;
}

/** Joins an execution's artifact revisions to the GitHub sources that produced them. */
export function matchSourceCommits(
  sources: GitHubSource[],
  revisions: { name?: string | undefined; revisionId?: string | undefined }[],
): SourceCommit[] {
  const commits = new Map<string, SourceCommit>();
  for (const revision of revisions) {
    const source = sources.find((candidate) => candidate.artifactName === revision.name);
    const sha = revision.revisionId;
    if (!source || !sha || !/^[0-9a-f]{40}$/i.test(sha)) continue;
    const commit = { owner: source.owner, repo: source.repo, sha: sha.toLowerCase() };
    commits.set(`${commit.owner}/${commit.repo}@${commit.sha}`.toLowerCase(), commit);
  }
  return [...commits.values()];
}

function splitFullName(fullName: string | undefined) {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName ?? "");
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}
