import { getTransformStream } from "@probot/pino";
import pino from "pino";
import type { Logger } from "probot";
import { singleKeyLog } from "./single-key-log.js";

export interface RootLogOptions {
  level: string;
  format?: "json" | "pretty" | undefined;
  /** Where the formatted lines go: standard output in production. */
  destination?: NodeJS.WritableStream;
}

/**
 * The process's logger, handed to Probot. It is Probot's own (pino through @probot/pino, pretty or
 * JSON as LOG_FORMAT says) with two changes: the root binds no `name`, since Probot binds
 * `name: "probot"` on it again, and every child binds each key once (single-key-log.ts).
 */
export async function createRootLog({
  level,
  format,
  destination = process.stdout,
}: RootLogOptions): Promise<Logger> {
  const transform = await getTransformStream({ logFormat: format });
  transform.pipe(destination);
  return singleKeyLog(pino({ level }, transform));
}
