import {
  GetPipelineExecutionCommand,
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
} from "@aws-sdk/client-codepipeline";
import { findGitHubSources, matchSourceCommits, type SourceCommit } from "./pipeline-sources.js";
import type { RegionalPipelines } from "./regional-pipelines.js";

/** An execution's GitHub commits, or why there is no execution to ask about any more. */
export type SourceCommitsLookup =
  { kind: "found"; commits: SourceCommit[] } | { kind: "gone"; what: "pipeline" | "execution" };

/** The GitHub commits an execution was built from: its artifact revisions joined to its sources. */
export async function findSourceCommits(
  pipelines: RegionalPipelines,
  pipelineName: string,
  executionId: string,
): Promise<SourceCommit[]> {
  const [pipeline, execution] = await Promise.all([
    pipelines.definition(pipelineName),
    pipelines.client.send(
      new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
    ),
  ]);
  return matchSourceCommits(
    findGitHubSources(pipeline),
    execution.pipelineExecution?.artifactRevisions ?? [],
  );
}

/** Like findSourceCommits, but a pipeline or execution that no longer exists is an answer. */
export async function lookUpSourceCommits(
  pipelines: RegionalPipelines,
  pipelineName: string,
  executionId: string,
): Promise<SourceCommitsLookup> {
  try {
    return {
      kind: "found",
      commits: await findSourceCommits(pipelines, pipelineName, executionId),
    };
  } catch (error) {
    if (error instanceof PipelineNotFoundException) return { kind: "gone", what: "pipeline" };
    if (error instanceof PipelineExecutionNotFoundException) {
      return { kind: "gone", what: "execution" };
    }
    throw error;
  }
}
