import type { Logger } from "probot";
import type {
  CommitLine,
  Comparison,
  ReleaseChanges,
} from "../approvals/release-changes.schema.js";
import type { LastApprovedRelease } from "../codepipeline/pipeline-gateway.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import { compareCommits, type CommitComparison } from "../github/compare-commits.js";
import { describeCommits, type CommitDescription } from "../github/describe-commits.js";
import type { GitHubClient } from "../github/github-client.js";
import { clipText } from "../presentation/clip-text.js";
import { shownCommits } from "../presentation/render-release-changes.js";

/** Subjects and titles are clipped before they go into the record, which must stay small. */
const storedTextLimit = 200;

/**
 * What this commit would ship compared with the last release the same approval action let
 * through: CodePipeline says which commit that was, GitHub compares the two (one call) and
 * describes this commit and the listed ones (one GraphQL query). Throws when a lookup fails; the
 * caller then shows the approval without this section. See docs/reviewing.md.
 */
export async function lookUpReleaseChanges(
  octokit: GitHubClient,
  commit: SourceCommit,
  lastApproved: Promise<LastApprovedRelease>,
  log: Logger,
): Promise<ReleaseChanges> {
  const repo = { owner: commit.owner, repo: commit.repo };
  const base = chooseBase(await lastApproved, commit);
  const comparison =
    base.kind === "compare"
      ? await compareCommits(octokit, repo, base.sha, commit.sha, shownCommits)
      : undefined;
  const listed = comparison?.kind === "compared" ? comparison.commits : [];
  // Subjects and pull requests only name the change: without them the comparison still stands.
  const described = await describeCommits(octokit, repo, [
    commit.sha,
    ...listed.map((line) => line.sha),
  ]).catch((error: unknown) => {
    log.warn({ err: error }, "could not read the commits' subjects and pull requests");
    return new Map<string, CommitDescription>();
  });
  const since = base.kind === "compare" ? comparedSince(base, comparison, described) : base.since;
  const head = described.get(commit.sha);
  return {
    ...(head ? { head: { sha: commit.sha, ...clipDescription(head) } } : {}),
    since,
  };
}

type Base =
  { kind: "compare"; sha: string; executionId: string } | { kind: "known"; since: Comparison };

/** Pure: which commit to compare with, or what to say instead. */
export function chooseBase(last: LastApprovedRelease, commit: SourceCommit): Base {
  if (last.kind === "none") return { kind: "known", since: { kind: "first-release" } };
  if (last.kind === "unknown") {
    return { kind: "known", since: { kind: "not-comparable", reason: last.reason } };
  }
  const sameRepo = last.commits.find(
    (candidate) =>
      candidate.owner.toLowerCase() === commit.owner.toLowerCase() &&
      candidate.repo.toLowerCase() === commit.repo.toLowerCase(),
  );
  if (sameRepo) return { kind: "compare", sha: sameRepo.sha, executionId: last.executionId };
  const other = last.commits[0];
  if (other) {
    return {
      kind: "known",
      since: { kind: "other-repository", base: other, baseExecutionId: last.executionId },
    };
  }
  return {
    kind: "known",
    since: {
      kind: "not-comparable",
      baseExecutionId: last.executionId,
      reason: "that pipeline execution has no GitHub source revision",
    },
  };
}

/** Pure: GitHub's comparison as the record keeps it. */
export function comparedSince(
  base: { sha: string; executionId: string },
  comparison: CommitComparison | undefined,
  described: ReadonlyMap<string, CommitDescription>,
): Comparison {
  if (comparison?.kind !== "compared") {
    return {
      kind: "not-comparable",
      base: base.sha,
      baseExecutionId: base.executionId,
      reason:
        "GitHub cannot compare the two commits (one of them is gone, for example after a force-push, or they share no history)",
    };
  }
  return {
    kind: "compared",
    base: base.sha,
    baseExecutionId: base.executionId,
    status: comparison.status,
    aheadBy: comparison.aheadBy,
    behindBy: comparison.behindBy,
    url: comparison.url,
    commits: comparison.commits.map((line): CommitLine => {
      const pull = described.get(line.sha)?.pull;
      return {
        sha: line.sha,
        subject: clipText(line.message.split(/\r\n?|\n/)[0] ?? "", storedTextLimit),
        ...(line.login ? { login: line.login } : {}),
        ...(!line.login && line.name ? { name: clipText(line.name, storedTextLimit) } : {}),
        ...(pull ? { pull: { ...pull, title: clipText(pull.title, storedTextLimit) } } : {}),
      };
    }),
  };
}

function clipDescription(description: CommitDescription) {
  return {
    subject: clipText(description.subject, storedTextLimit),
    url: description.url,
    ...(description.pull
      ? { pull: { ...description.pull, title: clipText(description.pull.title, storedTextLimit) } }
      : {}),
  };
}
