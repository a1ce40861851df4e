import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/**
 * `npm run preview`: every snapshot of every-state.test.ts (what reviewers see on check runs,
 * notices and replies) rendered into one HTML page, the way GitHub renders markdown (CommonMark
 * and GFM through micromark, raw HTML not allowed, a stylesheet after GitHub's). Hidden markers
 * are dropped, as GitHub hides HTML comments. Written to .test-build/preview/review-states.html.
 */
const snapshots = join(findRoot(), "test", "presentation", "snapshots");
const out = join(findRoot(), ".test-build", "preview", "review-states.html");

export function renderPreview(directory = snapshots): string {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith(".md"))
    .sort(byGroup);
  const sections = files.map((name) => {
    const markdown = readFileSync(join(directory, name), "utf8").replace(/<!--[\s\S]*?-->\n*/g, "");
    const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    const id = name.replace(/\.md$/, "");
    return `<section id="${id}"><h6 class="file"><a href="#${id}">${name}</a></h6><div class="markdown-body">${html}</div></section>`;
  });
  const index = files
    .map((name) => name.replace(/\.md$/, ""))
    .map((id) => `<a href="#${id}">${id}</a>`)
    .join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>What reviewers see</title>
<style>${stylesheet}</style></head>
<body><h1>What reviewers see</h1><p class="index">${index}</p>
${sections.join("\n")}
</body></html>
`;
}

/** Check runs first, then notices, annotations and replies. */
function byGroup(a: string, b: string): number {
  const order = ["check-run", "notice", "annotations", "reply"];
  const rank = (name: string) => order.findIndex((prefix) => name.startsWith(prefix));
  return rank(a) - rank(b) || a.localeCompare(b);
}

function findRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      readFileSync(join(directory, "package.json"));
      return directory;
    } catch {
      const parent = dirname(directory);
      if (parent === directory) throw new Error("package.json not found above the preview script");
      directory = parent;
    }
  }
}

/** The parts of GitHub's markdown styles (github-markdown-css, light) these documents use. */
const stylesheet = `
body { margin: 0 auto; max-width: 980px; padding: 24px; background: #f6f8fa;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
h1 { font-size: 24px; } .index { font-size: 12px; line-height: 1.8; }
section { margin: 24px 0; } h6.file { margin: 0 0 4px; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; color: #59636e; }
h6.file a { color: inherit; }
.markdown-body { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px;
  color: #1f2328; font-size: 14px; line-height: 1.5; word-wrap: break-word; }
.markdown-body a { color: #0969da; text-decoration: none; } .markdown-body a:hover { text-decoration: underline; }
.markdown-body h2, .markdown-body h3 { margin: 8px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body blockquote { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; } .markdown-body li + li { margin-top: .25em; }
.markdown-body code { padding: .2em .4em; font-size: 85%; background: #818b981f; border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
.markdown-body th { font-weight: 600; } .markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body hr { height: .25em; padding: 0; margin: 24px 0; background: #d1d9e0; border: 0; }
`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderPreview());
  process.stdout.write(`${out}\n`);
}
