import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  type ActionExecutionDetail,
} from "@aws-sdk/client-codepipeline";
import type { ApprovalAction } from "../approvals/approval.js";
import { findGitHubSources, matchSourceCommits, type SourceCommit } from "./pipeline-sources.js";
import type { RegionalPipelines } from "./regional-pipelines.js";
import { isRunOf, scanActionExecutions } from "./scan-action-executions.js";

/** The last release this approval action let through, before the execution now waiting. */
export type LastApprovedRelease =
  | { kind: "found"; executionId: string; commits: SourceCommit[] }
  /** Every page was read and no earlier run of the action succeeded: the first release. */
  | { kind: "none" }
  /** The page limit was hit first: an approved run may be older than what was read. */
  | { kind: "unknown"; reason: string };

/** A ListActionExecutions page holds 100 details; a busy pipeline's history is long. */
export const defaultLastApprovedPages = 3;

/**
 * The newest earlier run of this approval action that succeeded (was approved), from
 * ListActionExecutions; its commits from GetPipelineExecution. The order of ListActionExecutions
 * is not documented, so, as in find-latest-action-execution.ts, the newest is picked by start
 * time on the first page that has a candidate. A run counts only if it started before the run now
 * waiting. https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html
 */
export async function findLastApprovedRun(
  { client }: RegionalPipelines,
  action: ApprovalAction,
  executionId: string,
  maxPages: number,
): Promise<
  { kind: "found"; executionId: string } | Exclude<LastApprovedRelease, { kind: "found" }>
> {
  let current: Date | undefined;
  let candidates: ActionExecutionDetail[] = [];
  const end = await scanActionExecutions(
    client,
    { pipelineName: action.pipelineName },
    (details) => {
      const runs = details.filter((detail) => isRunOf(action, detail));
      current ??= runs.find((run) => run.pipelineExecutionId === executionId)?.startTime;
      candidates = runs.filter(
        (run) =>
          run.status === "Succeeded" &&
          run.pipelineExecutionId &&
          run.pipelineExecutionId !== executionId &&
          (!current || !run.startTime || run.startTime < current),
      );
      return candidates.length > 0;
    },
    maxPages,
  );
  const newest = candidates.sort(
    (a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0),
  )[0];
  if (newest?.pipelineExecutionId)
    return { kind: "found", executionId: newest.pipelineExecutionId };
  if (end === "limited") {
    return {
      kind: "unknown",
      reason: `no approved run among the newest ${maxPages * 100} action executions of the pipeline; older ones were not read`,
    };
  }
  return { kind: "none" };
}

/**
 * The commits of the last approved execution, cached per pipeline and approval action: an
 * execution's source revisions never change, so only a newer approved execution costs a
 * GetPipelineExecution. One entry per approval action keeps the cache as small as the set of
 * approval actions.
 */
export function cacheLastApprovedReleases(maxPages = defaultLastApprovedPages) {
  const cache = new Map<string, { executionId: string; commits: Promise<SourceCommit[]> }>();
  return async (
    pipelines: RegionalPipelines,
    action: ApprovalAction,
    executionId: string,
  ): Promise<LastApprovedRelease> => {
    const run = await findLastApprovedRun(pipelines, action, executionId, maxPages);
    if (run.kind !== "found") return run;
    const key = [
      action.account ?? "own",
      action.region,
      action.pipelineName,
      action.stageName,
      action.actionName,
    ].join("/");
    let entry = cache.get(key);
    if (entry?.executionId !== run.executionId) {
      entry = {
        executionId: run.executionId,
        commits: findCommitsAsBuilt(pipelines, action.pipelineName, run.executionId),
      };
      cache.set(key, entry);
      const stored = entry;
      stored.commits.catch(() => {
        if (cache.get(key) === stored) cache.delete(key);
      });
    }
    return { kind: "found", executionId: run.executionId, commits: await entry.commits };
  };
}

/**
 * An earlier execution's GitHub commits, joined to the sources of the pipeline as it was then
 * (its `pipelineVersion`): if a source has since moved to another repository, the commit is still
 * named in the repository it came from. The cached current definition serves when the version is
 * the same; an older one costs one GetPipeline.
 */
async function findCommitsAsBuilt(
  pipelines: RegionalPipelines,
  pipelineName: string,
  executionId: string,
): Promise<SourceCommit[]> {
  const [current, out] = await Promise.all([
    pipelines.definition(pipelineName),
    pipelines.client.send(
      new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
    ),
  ]);
  const version = out.pipelineExecution?.pipelineVersion;
  const then =
    version === undefined || version === current?.version
      ? current
      : (await pipelines.client.send(new GetPipelineCommand({ name: pipelineName, version })))
          .pipeline;
  return matchSourceCommits(
    findGitHubSources(then),
    out.pipelineExecution?.artifactRevisions ?? [],
  );
}
