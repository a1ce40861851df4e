import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand, reasonLimit } from "../../src/channels/parse-command.js";
import { awsSummaryLimit, summarizeDecision } from "../../src/presentation/approval-summary.js";
import { clipText } from "../../src/presentation/clip-text.js";

/** Any text, astral characters (emoji, surrogate pairs in UTF-16) included. */
const anyText = fc.string({ unit: "binary", maxLength: 80 });

/** No lone surrogate: what a cut through a surrogate pair leaves behind. */
function isWellFormed(text: string | undefined): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text ?? "");
}

/** The properties every clip must have, whichever function does the clipping. */
function clipsSafely(clip: (text: string, limit: number) => string) {
  return fc.property(anyText, fc.integer({ min: 1, max: 60 }), (text, limit) => {
    const clipped = clip(text, limit);
    expect(clipped.length).toBeLessThanOrEqual(limit);
    expect(isWellFormed(clipped)).toBe(true);
    if (text.length <= limit) expect(clipped).toBe(text);
    else expect(text.startsWith(clipped.slice(0, -1))).toBe(true);
  });
}

describe("clipping text", () => {
  it("never cuts a character in half and never exceeds the limit", () => {
    fc.assert(clipsSafely(clipText));
  });

  it("the property catches a clip by UTF-16 code unit", () => {
    const byCodeUnit = (text: string, limit: number) =>
      text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
    // A fixed seed and more runs: a random search of 100 may hold no text that splits a pair.
    expect(() => fc.assert(clipsSafely(byCodeUnit), { seed: 20261206, numRuns: 1000 })).toThrow();
  });

  it("keeps the emoji whole at the end of a 1,000-character reason", () => {
    const reason = `${"a".repeat(reasonLimit - 2)}🚀🚀`;
    const command = parseCommand(`/reject ${reason}`);
    const clipped = command.kind === "command" ? command.reason : undefined;
    expect(clipped).toBe(`${"a".repeat(reasonLimit - 2)}…`);
    expect(isWellFormed(clipped)).toBe(true);
  });

  it("keeps the 512-character AWS summary well formed when the reason ends in emoji", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom("🚀", "👩‍👩‍👧", "𝕏"),
        (n, emoji) => {
          const summary = summarizeDecision({
            verdict: "Rejected",
            deciders: ["alice"],
            channel: "pr_comments",
            reason: `${"x".repeat(n)}${emoji.repeat(300)}`,
          });
          expect(summary.length).toBeLessThanOrEqual(awsSummaryLimit);
          expect(isWellFormed(summary)).toBe(true);
        },
      ),
    );
  });
});
