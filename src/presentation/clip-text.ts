/** `text` within `limit` characters: cut, with "…" as its last character, when longer. */
export function clipText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
