import { clipText } from "../presentation/clip-text.js";
import type { Verdict } from "../approvals/approval.js";

export type ParsedCommand =
  { kind: "command"; verdict: Verdict; target?: string; reason?: string } | { kind: "none" };

/** Reasons end up in the check run record and the AWS summary; a cap keeps the record whole. */
export const reasonLimit = 1000;

const verbs: Record<string, Verdict> = { approve: "Approved", reject: "Rejected" };

/** `/approve` or `/reject` alone on the first line, or followed by blanks and more text. */
const commandLine = /^\/(approve|reject)(?:[ \t]+(.*))?$/i;

/**
 * A target names an approval as `pipeline/stage/action`, or a prefix of that. CodePipeline names
 * match [A-Za-z0-9.@\-_]+, so a target is one word of those characters with at least one "/":
 * `/approve deploy/Prod` targets, `/approve looks good` and `/reject CI/CD is broken,` give reasons.
 */
const targetWord = /^[A-Za-z0-9.@_-]*\/[A-Za-z0-9.@_/-]*$/;

/**
 * A comment body → the command it carries. Only the first line (after leading blank space) can be
 * a command, so a quoted (`> /approve`) or mid-text `/approve` does nothing. The reason is the rest
 * of the first line and every line after it.
 */
export function parseCommand(body: string | null | undefined): ParsedCommand {
  const lines = (body ?? "").replace(/\r\n?/g, "\n").trimStart().split("\n");
  const match = commandLine.exec((lines[0] ?? "").trimEnd());
  if (!match) return { kind: "none" };
  const verdict = verbs[match[1]!.toLowerCase()]!;

  const rest = (match[2] ?? "").trim();
  const firstWord = rest.split(/\s+/, 1)[0] ?? "";
  const target = targetWord.test(firstWord) ? firstWord : undefined;
  const sameLine = target ? rest.slice(firstWord.length).trim() : rest;
  const reason = [sameLine, ...lines.slice(1)].join("\n").trim();

  return {
    kind: "command",
    verdict,
    ...(target ? { target } : {}),
    ...(reason ? { reason: capReason(reason) } : {}),
  };
}

export function capReason(reason: string): string {
  return clipText(reason, reasonLimit);
}
