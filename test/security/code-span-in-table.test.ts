import { describe, expect, it } from "vitest";
import { codeSpan } from "../../src/presentation/escape-markdown.js";
import { parseMarkdown } from "./parse-markdown.js";

/**
 * A regression the rendering property found (seed -1016012935): an execution id ending in a
 * backslash and a pipe, shown as code in the check run's details table. The backslash escaped the
 * backslash written for the pipe, GFM split the row there, and the rest became raw HTML.
 */
describe("untrusted text as code in a table cell", () => {
  it("stays one cell of code however backslashes and pipes are mixed", () => {
    const hostile = "<a href='https://evil.example'>\\|";
    const table = `| | |\n|---|---|\n| Execution | ${codeSpan(hostile)} |\n`;
    const shape = parseMarkdown(table);
    expect(shape.html).toBe(0);
    expect(shape.links).toEqual([]);
    expect(shape.tableCells).toBe(4);
  });

  it("never writes an empty span as two backticks, which would leave a neighbour's text outside code", () => {
    // "`@bob`" followed by "``" is "`@bob```": the closing run is three backticks, the opening one
    // finds no partner, and "@bob" is a mention. An empty span is written "` `" instead.
    const text = `${codeSpan("@bob")}${codeSpan("")}`;
    expect(parseMarkdown(text).mentions).toEqual([]);
    expect(codeSpan("")).toBe("` `");
  });
});
