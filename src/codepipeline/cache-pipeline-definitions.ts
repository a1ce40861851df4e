import {
  GetPipelineCommand,
  type CodePipelineClient,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";
import type { PipelinePlace } from "./account-clients.js";

export interface DefinitionCacheOptions {
  client: (place: PipelinePlace) => CodePipelineClient;
  /** Places one client serves share a key, so they share definitions. */
  keyOf: (place: PipelinePlace) => string;
  /** Pipeline definitions change rarely; they are re-read after this long. */
  ttlMs: number;
  now: () => number;
}

/**
 * Pipeline definitions (GetPipeline) by account, region and name, cached and shared while in flight, so a
 * burst for one pipeline costs one call. A failed read is forgotten, so the next question retries.
 */
export function cachePipelineDefinitions({ client, keyOf, ttlMs, now }: DefinitionCacheOptions) {
  const definitions = new Map<
    string,
    { at: number; pipeline: Promise<PipelineDeclaration | undefined> }
  >();
  return (place: PipelinePlace, name: string): Promise<PipelineDeclaration | undefined> => {
    const key = `${keyOf(place)}/${name}`;
    const cached = definitions.get(key);
    if (cached && now() - cached.at < ttlMs) return cached.pipeline;
    const pipeline = Promise.resolve(place)
      .then((where) => client(where).send(new GetPipelineCommand({ name })))
      .then((out) => out.pipeline);
    definitions.set(key, { at: now(), pipeline });
    pipeline.catch(() => definitions.delete(key));
    return pipeline;
  };
}
