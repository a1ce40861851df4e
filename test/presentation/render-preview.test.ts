import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderPreview } from "./render-preview.js";

describe("npm run preview", () => {
  it("renders every snapshot into one page, in sections, as GitHub would", () => {
    const html = renderPreview();
    const files = readdirSync(new URL("./snapshots/", import.meta.url)).filter((name) =>
      name.endsWith(".md"),
    );
    expect(files.length).toBeGreaterThan(30);
    for (const name of files) expect(html).toContain(`<section id="${name.replace(/\.md$/, "")}">`);
    expect(html).toContain("<table>");
    expect(html).toContain('<a href="https://github.com/octo-org/service/pull/42">#42</a>');
  });

  it("hides the markers GitHub hides and never passes raw HTML through", () => {
    const directory = mkdtempSync(join(tmpdir(), "preview-"));
    writeFileSync(
      join(directory, "notice-x.md"),
      "<!-- codepipeline-approvals:notice check-run-1 -->\n\nhello <script>alert(1)</script>\n",
    );
    const html = renderPreview(directory);
    expect(html).not.toContain("codepipeline-approvals:notice");
    expect(html).not.toContain("<script>");
    expect(html).toContain("hello &lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
