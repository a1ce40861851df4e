/**
 * `text` within `limit` characters: cut, with "…" as its last character, when longer.
 *
 * Limits are counted in UTF-16 code units, as JavaScript's `length` and most APIs (GitHub's
 * 65,535-character output, CodePipeline's 512-character summary) count them, so a clipped text
 * fits whichever way it is measured. The cut never falls inside a surrogate pair: half an emoji
 * would be an unpaired surrogate, which shows as "�" and which some JSON encoders refuse.
 * https://tc39.es/ecma262/#sec-ecmascript-language-types-string-type
 */
export function clipText(text: string, limit: number, ellipsis = "…"): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit - ellipsis.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}${ellipsis}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
