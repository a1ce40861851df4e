/**
 * Makes untrusted text (custom data, reasons, AWS summaries) render as the literal text it is:
 * no HTML, no links or images, no mentions that ping people, no table or list breakage.
 */
export function escapeMarkdown(text: string): string {
  // One pass, so an entity written for one character is never escaped again for another.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/[&<>@\\`*_{}[\]()#+\-.!|~:]/g, (char) => entities[char] ?? `\\${char}`);
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;" };

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
 * https://spec.commonmark.org/0.31.2/#code-spans
 */
export function codeSpan(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, "")}\``;
}

/** A link only for http(s) URLs; anything else is shown as escaped text. */
export function safeLink(label: string, url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:" || parsed.protocol === "http:") {
      return `[${escapeMarkdown(label)}](${parsed.href.replace(/[()\s]/g, encodeURIComponent)})`;
    }
  } catch {
    // not a URL: shown as text below
  }
  return escapeOneLine(url);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeOneLine(iso);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
