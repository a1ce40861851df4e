import {
  GetPipelineCommand,
  type CodePipelineClient,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";

export interface DefinitionCacheOptions {
  client: (region: string) => CodePipelineClient;
  /** Pipeline definitions change rarely; they are re-read after this long. */
  ttlMs: number;
  now: () => number;
}

/**
 * Pipeline definitions (GetPipeline) by region and name, cached and shared while in flight, so a
 * burst for one pipeline costs one call. A failed read is forgotten, so the next question retries.
 */
export function cachePipelineDefinitions({ client, ttlMs, now }: DefinitionCacheOptions) {
  const definitions = new Map<
    string,
    { at: number; pipeline: Promise<PipelineDeclaration | undefined> }
  >();
  return (region: string, name: string): Promise<PipelineDeclaration | undefined> => {
    const key = `${region}/${name}`;
    const cached = definitions.get(key);
    if (cached && now() - cached.at < ttlMs) return cached.pipeline;
    const pipeline = client(region)
      .send(new GetPipelineCommand({ name }))
      .then((out) => out.pipeline);
    definitions.set(key, { at: now(), pipeline });
    pipeline.catch(() => definitions.delete(key));
    return pipeline;
  };
}
