import { clipText } from "../presentation/clip-text.js";
import type { Verdict } from "../approvals/approval.js";
import type { Control } from "../controls/control-types.js";
import { matchControl, takeBreakGlassFlag } from "../controls/parse-control.js";

export type ParsedCommand =
  | { kind: "command"; verdict: Verdict; target?: string; reason?: string; breakGlass?: true }
  /** `/hold` and `/unhold`: src/controls, docs/controls.md. */
  | { kind: "control"; control: Control; target?: string; reason?: string }
  | { kind: "none" };

/** Reasons end up in the check run record and the AWS summary; a cap keeps the record whole. */
export const reasonLimit = 1000;

const verbs: Record<string, Verdict> = { approve: "Approved", reject: "Rejected" };

/** `/approve` or `/reject` alone on the first line, or followed by blanks and more text. */
const commandLine = /^\/(approve|reject)(?:[ \t]+(.*))?$/i;

/**
 * A target names an approval as `pipeline/stage/action`, or a prefix of that. CodePipeline names
 * match [A-Za-z0-9.@\-_]+, so a target is one word of those characters with at least one "/":
 * `/approve deploy/Prod` targets, `/approve looks good` and `/reject CI/CD is broken,` give reasons.
 * It may start with an AWS account (id or alias) and ":", `/approve staging:deploy/Prod`, to tell
 * apart the same address in two accounts (docs/multi-account.md); a pipeline name must follow the
 * ":", so `https://…` stays a reason.
 */
const targetWord = /^(?:[A-Za-z0-9._-]+:(?=[A-Za-z0-9.@_-]))?[A-Za-z0-9.@_-]*\/[A-Za-z0-9.@_/-]*$/;

/**
 * A comment body → the command it carries. Only the first line (after leading blank space) can be
 * a command, so a quoted (`> /approve`) or mid-text `/approve` does nothing. The reason is the rest
 * of the first line and every line after it.
 */
export function parseCommand(body: string | null | undefined): ParsedCommand {
  const lines = (body ?? "").replace(/\r\n?/g, "\n").trimStart().split("\n");
  const firstLine = (lines[0] ?? "").trimEnd();
  const control = matchControl(firstLine);
  if (control) {
    const { target, reason } = targetAndReason(control.rest, lines.slice(1));
    return { kind: "control", control: control.control, ...target, ...reason };
  }
  const match = commandLine.exec(firstLine);
  if (!match) return { kind: "none" };
  const verdict = verbs[match[1]!.toLowerCase()]!;

  // `--break-glass` may come first or right after the target; only `/approve` takes it.
  let breakGlass = false;
  let rest = (match[2] ?? "").trim();
  if (verdict === "Approved") ({ breakGlass, rest } = takeBreakGlassFlag(rest));
  const firstWord = rest.split(/\s+/, 1)[0] ?? "";
  const target = targetWord.test(firstWord) ? firstWord : undefined;
  let sameLine = target ? rest.slice(firstWord.length).trim() : rest;
  if (verdict === "Approved" && target && !breakGlass) {
    ({ breakGlass, rest: sameLine } = takeBreakGlassFlag(sameLine));
  }
  const reason = [sameLine, ...lines.slice(1)].join("\n").trim();

  return {
    kind: "command",
    verdict,
    ...(target ? { target } : {}),
    ...(reason ? { reason: capReason(reason) } : {}),
    ...(breakGlass ? { breakGlass: true as const } : {}),
  };
}

/** A first word with a "/" is the target; the rest of the line and the lines after, the reason. */
function targetAndReason(rest: string, moreLines: string[]) {
  const firstWord = rest.split(/\s+/, 1)[0] ?? "";
  const target = targetWord.test(firstWord) ? firstWord : undefined;
  const sameLine = target ? rest.slice(firstWord.length).trim() : rest;
  const reason = [sameLine, ...moreLines].join("\n").trim();
  return {
    target: target ? { target } : {},
    reason: reason ? { reason: capReason(reason) } : {},
  };
}

export function capReason(reason: string): string {
  return clipText(reason, reasonLimit);
}
