import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The README and docs/reviewing.md show what a reviewer sees as an excerpt of a snapshot the renderers write
 * (test/presentation/every-state.test.ts): every line of the example is a line of that file, in
 * the same order, so a change of wording that leaves the README behind fails here.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const documents = ["README.md", "docs/reviewing.md"];

function examples(markdown: string): { source: string; lines: string[] }[] {
  const blocks = markdown.matchAll(
    /<!-- rendered-example: (\S+) -->\n([\s\S]*?)\n<!-- \/rendered-example -->/g,
  );
  return [...blocks].map(([, source = "", body = ""]) => ({
    source,
    lines: body
      .split("\n")
      .map((line) => line.replace(/^> ?/, ""))
      .filter((line) => line !== ""),
  }));
}

/** The lines of `excerpt` not found, in order, among `lines`. */
function missingInOrder(excerpt: readonly string[], lines: readonly string[]): string[] {
  let at = 0;
  const missing: string[] = [];
  for (const line of excerpt) {
    const found = lines.indexOf(line, at);
    if (found === -1) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

describe.each(documents)("%s's rendered example", (document) => {
  const found = examples(readFileSync(`${root}${document}`, "utf8"));

  it("is there, taken from a snapshot file", () => {
    expect(found.map((example) => example.source)).toEqual([
      "test/presentation/snapshots/check-run-pending-quorum.md",
    ]);
    expect(found[0]!.lines.length).toBeGreaterThan(10);
  });

  it.each(found)("is an excerpt of $source, line for line and in order", ({ source, lines }) => {
    const snapshot = readFileSync(`${root}${source}`, "utf8").split("\n");
    expect(missingInOrder(lines, snapshot)).toEqual([]);
  });
});

describe("the excerpt check", () => {
  it("catches a line the renderers no longer write, and lines out of order", () => {
    expect(missingInOrder(["a", "changed"], ["a", "b"])).toEqual(["changed"]);
    expect(missingInOrder(["b", "a"], ["a", "b"])).toEqual(["a"]);
  });
});
