import { micromark, parse, postprocess, preprocess } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/** What a piece of markdown turns into on GitHub, as far as the security rules care. */
export interface MarkdownShape {
  links: { href: string; text: string }[];
  images: number;
  /** Raw HTML, flow or inline (an HTML comment is one). */
  html: number;
  headings: number;
  tableRows: number;
  tableCells: number;
  /** Words GitHub would turn into a mention and notify. */
  mentions: string[];
}

/**
 * Parses markdown with a real CommonMark + GFM parser (micromark with its GFM extension), the
 * syntax GitHub renders comments and check runs with. https://github.github.com/gfm/
 */
export function parseMarkdown(markdown: string): MarkdownShape {
  const events = postprocess(
    parse({ extensions: [gfm()] })
      .document()
      .write(preprocess()(markdown, undefined, true)),
  );
  let html = 0;
  for (const [kind, token] of events) {
    if (kind === "enter" && (token.type === "htmlFlow" || token.type === "htmlText")) html += 1;
  }
  // Raw HTML is passed through, as GitHub keeps (sanitized) HTML: raw tags count below too, and an
  // HTML comment's content is no text anyone reads (the hidden record).
  const output = micromark(markdown, {
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
    allowDangerousHtml: true,
  }).replace(/<!--[\s\S]*?-->/g, " ");
  const links = [...output.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((match) => ({
    href: decodeEntities(match[1] ?? ""),
    text: decodeEntities(stripTags(match[2] ?? "")),
  }));
  return {
    links,
    images: (output.match(/<img /g) ?? []).length,
    html,
    headings: (output.match(/<h[1-6]>/g) ?? []).length,
    tableRows: (output.match(/<tr>/g) ?? []).length,
    tableCells: (output.match(/<t[dh][ >]/g) ?? []).length,
    mentions: findMentions(output),
  };
}

/**
 * GitHub's mention filter: "@" directly followed by a letter or digit, not after a word
 * character, in text outside code, pre and links, after character references are decoded.
 * https://github.com/gjtorikian/html-pipeline/blob/main/lib/html_pipeline/node_filter/mention_filter.rb
 */
export function findMentions(html: string): string[] {
  const text = decodeEntities(
    stripTags(
      html
        .replace(/<code>[\s\S]*?<\/code>/g, " ")
        .replace(/<pre>[\s\S]*?<\/pre>/g, " ")
        .replace(/<a [^>]*>[\s\S]*?<\/a>/g, " "),
    ),
  );
  return [...text.matchAll(/(?:^|[^A-Za-z0-9_])(@[A-Za-z0-9][A-Za-z0-9-]*)/g)].map(
    (match) => match[1] ?? "",
  );
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, " ");
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot);/gi, (_all, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"' }[lower] ?? "";
  });
}
