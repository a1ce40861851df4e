import type { Control } from "./control-types.js";

/** `/hold` or `/unhold` alone on the first line, or followed by blanks and more text. */
const controlLine = /^\/(hold|unhold)(?:[ \t]+(.*))?$/i;

/** The first line of a comment as a control verb and the rest of that line, or undefined. */
export function matchControl(firstLine: string): { control: Control; rest: string } | undefined {
  const match = controlLine.exec(firstLine);
  if (!match) return undefined;
  return { control: match[1]!.toLowerCase() as Control, rest: (match[2] ?? "").trim() };
}

const breakGlassFlag = /^--break-glass(?=\s|$)/i;

/**
 * `--break-glass` at the start of `text` (right after `/approve`, or after its target): whether it
 * was there, and the text after it. See docs/controls.md, "Break-glass".
 */
export function takeBreakGlassFlag(text: string): { breakGlass: boolean; rest: string } {
  const match = breakGlassFlag.exec(text);
  return match
    ? { breakGlass: true, rest: text.slice(match[0].length).trim() }
    : { breakGlass: false, rest: text };
}
