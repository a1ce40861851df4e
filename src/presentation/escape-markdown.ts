/**
 * Untrusted text (custom data, reasons, AWS summaries, names, logins) as the literal text it is:
 * no HTML, no links or images, no headings, no table or list breakage, and no mention that
 * notifies anyone. docs/security.md lists these rules; test/security/untrusted-rendering.test.ts
 * checks them against a real CommonMark + GFM parser.
 */
export function escapeMarkdown(text: string): string {
  // One pass, so what is written for one character is never escaped again for another.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/[&<>@\\`*_{}[\]()#+\-.!|~:=$]/g, (char) => replacements[char] ?? `\\${char}`);
}

/**
 * `@` is followed by a zero-width joiner. GitHub links and notifies `@name` wherever its mention
 * filter finds "@" directly followed by a letter or digit outside code, pre and links; the
 * filter runs on the rendered HTML, after character references are decoded, so an escaped
 * `&#64;name` still notifies. With U+200D in between, no mention is found, and the text reads the
 * same. https://github.com/gjtorikian/html-pipeline/blob/main/lib/html_pipeline/node_filter/mention_filter.rb
 * `=` is escaped because a line of them under text makes a heading (a setext heading), `$`
 * because GitHub renders text between dollars as math.
 * https://spec.commonmark.org/0.31.2/#setext-headings
 */
const replacements: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "@": "@\u200d",
};

/** A login or team shown as "@name" without notifying them (see `replacements`). */
export function quietMention(name: string): string {
  return escapeMarkdown(`@${name}`);
}

/**
 * CommonMark's line endings: a lone carriage return ends a line too, so a line ending missed here
 * would let the rest of the text leave a quote or end a table row.
 * https://spec.commonmark.org/0.31.2/#line-ending
 */
const lineEndings = /\r\n?|\n/g;

/** Multi-line text as a block quote, each line escaped. */
export function quoteBlock(text: string): string {
  return text
    .split(lineEndings)
    .map((line) => `> ${escapeMarkdown(line)}`)
    .join("\n");
}

/** Untrusted text that must stay on one line, such as a table cell: line endings become spaces. */
export function escapeOneLine(text: string): string {
  return escapeMarkdown(text.replace(lineEndings, " "));
}

/**
 * Untrusted text as inline code. Backslash escapes do not work inside a code span, so escaping
 * would show the backslashes; a backtick or line ending, which could end the span, is dropped.
 * GitHub does not look for mentions inside code. https://spec.commonmark.org/0.31.2/#code-spans
 * In a table, GFM splits a row at every unescaped "|", code spans included, which would leave
 * the rest of the text outside the code, so "|" is always written "\|" (GFM turns it back into
 * "|" inside a table's code; elsewhere it shows the backslash, and no name CodePipeline or GitHub
 * allows contains a "|"). https://github.github.com/gfm/#example-200
 * A backslash is written as U+29F5 (⧵, which looks alike): before a "|" a real one would escape the
 * backslash written for that "|" ("\\|"), so the row would split there after all (found by
 * test/security/untrusted-rendering.test.ts; no CodePipeline or GitHub name contains one).
 */
export function codeSpan(text: string): string {
  const code = text
    .replace(/[`\r\n]/g, "")
    .replace(/\\/g, "\u29f5")
    .replace(/\|/g, "\\|");
  // Empty, "``" would open a code span of two backticks that a later "``" closes: one space is a
  // code span of its own (https://spec.commonmark.org/0.31.2/#example-330).
  return `\`${code === "" ? " " : code}\``;
}

/**
 * An http(s) URL fit to link to, or undefined. User names and passwords are dropped (a reader
 * could take `https://github.com@evil.example` for GitHub). A host is letters, digits, dots and
 * hyphens (what WHATWG makes of any domain name, in punycode); anything else, an IPv6 address's
 * brackets included, would have to stay raw in the link, so such a URL is shown as text.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  if (!/^[a-z0-9.-]+$/i.test(parsed.hostname)) return undefined;
  parsed.username = "";
  parsed.password = "";
  // WHATWG's serialization is ASCII; every character outside RFC 3986's unreserved and
  // delimiter sets, and "(" ")" "*" "'" among them, is percent-encoded, so nothing can end the
  // link's destination or open new markdown syntax: no "(", ")", "[", "]", "<", ">", space,
  // backslash, backtick or quote is left. https://spec.commonmark.org/0.31.2/#link-destination
  return parsed.href.replace(/[^A-Za-z0-9\-._~:/?#@!$&+,;=%]/g, (char) =>
    [...new TextEncoder().encode(char)]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
}

/**
 * The one way a link is built from untrusted data: http(s) only, its destination encoded so it
 * cannot end early, and its host shown next to the text so a reader sees where it goes:
 * "[Open](https://example.com/x) (example.com)". Anything else is shown as escaped text.
 */
export function safeLink(label: string, url: string | undefined): string | undefined {
  if (!url) return undefined;
  const href = safeUrl(url);
  if (!href) return escapeOneLine(url);
  return `[${escapeOneLine(label)}](${href}) (${escapeOneLine(new URL(href).host)})`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeOneLine(iso);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
