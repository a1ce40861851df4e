import type { CodePipelineClient, PipelineDeclaration } from "@aws-sdk/client-codepipeline";

/** What each question to CodePipeline is handed: one region's client and its cached definitions. */
export interface RegionalPipelines {
  client: CodePipelineClient;
  /** The pipeline's definition (GetPipeline), cached across questions. */
  definition(pipelineName: string): Promise<PipelineDeclaration | undefined>;
  /** How many ListActionExecutions pages (of 100) one question may read. */
  maxActionExecutionPages: number;
}
