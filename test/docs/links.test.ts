import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";

/**
 * Every relative link (and its #anchor) in README.md, docs/*.md and app.yml's comments resolves to
 * a file of this repository and, for markdown, to a heading GitHub would give that anchor.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

function html(markdown: string): string {
  return micromark(markdown, {
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
    allowDangerousHtml: true,
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, inner = ""] of html(markdown).matchAll(/<h[1-6]>(.*?)<\/h[1-6]>/g)) {
    const text = inner
      .replace(/<[^>]+>/g, "")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function linksOfMarkdown(markdown: string): string[] {
  return [...html(markdown).matchAll(/<a href="([^"]*)"/g)].map(([, href = ""]) =>
    href.replace(/&amp;/g, "&"),
  );
}

/** In YAML, links live in comments: paths to repository files, optionally with an anchor. */
function linksOfYaml(yaml: string): string[] {
  return [...yaml.matchAll(/(?:^|\s)#.*$/gm)].flatMap(([comment]) =>
    [
      ...comment.matchAll(
        /(?:\.\.?\/)?(?:docs|deploy|src|test)\/[\w./-]+(?:\s*\(#[\w-]+\)|#[\w-]+)?/g,
      ),
    ].map(([path]) => path.replace(/\s*\((#[\w-]+)\)$/, "$1")),
  );
}

/** Problems with the relative links of one file (absolute URLs and mailto are out of scope). */
function brokenLinks(
  file: string,
  links: string[],
  read = (p: string) => readFileSync(p, "utf8"),
): string[] {
  const problems: string[] = [];
  for (const link of links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("//")) continue;
    const [path = "", anchor] = link.split("#");
    const target = path === "" ? file : join(dirname(file), decodeURIComponent(path));
    const where = `${relative(root, file)}: ${link}`;
    if (!existsSync(target)) {
      problems.push(`${where} (no such file)`);
      continue;
    }
    if (anchor !== undefined && anchor !== "") {
      if (!target.endsWith(".md") || statSync(target).isDirectory()) {
        problems.push(`${where} (an anchor into a file that is not markdown)`);
      } else if (!anchorsOf(read(target)).has(decodeURIComponent(anchor))) {
        problems.push(`${where} (no heading #${anchor})`);
      }
    }
  }
  return problems;
}

const markdownFiles = [
  join(root, "README.md"),
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(root, "docs", name)),
];

describe("relative links", () => {
  it("catches a missing file, a missing heading and an anchor into a non-markdown file (self-test)", () => {
    const readme = join(root, "README.md");
    expect(
      brokenLinks(readme, [
        "docs/nope.md",
        "docs/operations.md#no-such-heading",
        "app.yml#top",
        "docs/operations.md#the-dead-letter-queue",
        "#quick-start",
        "https://example.com/x",
      ]),
    ).toEqual([
      "README.md: docs/nope.md (no such file)",
      "README.md: docs/operations.md#no-such-heading (no heading #no-such-heading)",
      "README.md: app.yml#top (an anchor into a file that is not markdown)",
    ]);
  });

  it("computes anchors as GitHub does", () => {
    expect([...anchorsOf("# Who may approve\n## `npm start` & co.\n## Who may approve\n")]).toEqual(
      ["who-may-approve", "npm-start--co", "who-may-approve-1"],
    );
  });

  it("finds the links of app.yml's comments", () => {
    expect(
      linksOfYaml(
        "# see docs/security.md (#permissions-and-why)\nkey: value # deploy/template.yaml\n",
      ),
    ).toEqual(["docs/security.md#permissions-and-why", "deploy/template.yaml"]);
  });

  it("resolve in README.md and docs/*.md", () => {
    const problems = markdownFiles.flatMap((file) =>
      brokenLinks(file, linksOfMarkdown(readFileSync(file, "utf8"))),
    );
    expect(problems).toEqual([]);
    expect(linksOfMarkdown(readFileSync(join(root, "README.md"), "utf8")).length).toBeGreaterThan(
      10,
    );
  });

  it("resolve in app.yml's comments", () => {
    const file = join(root, "app.yml");
    const links = linksOfYaml(readFileSync(file, "utf8"));
    expect(links.length).toBeGreaterThan(0);
    expect(brokenLinks(file, links)).toEqual([]);
  });
});
