import { codeSpan, escapeMarkdown } from "./escape-markdown.js";

/**
 * A reason or refusal as markdown: `quoted` commands (the app writes "comment `/reject <reason>`
 * instead") become code spans, everything else is escaped. A code span can hold no link, mention
 * or HTML, so whoever wrote part of the text (a login, a policy problem) gains no markup from it.
 * Text without a closing backquote stays escaped text.
 */
export function reasonText(text: string): string {
  const parts = text.split(/`([^`\r\n]+)`/);
  return parts
    .map((part, index) => (index % 2 === 1 ? codeSpan(part) : escapeMarkdown(part)))
    .join("");
}
