/**
 * Globs over `pipeline/stage/action`. CodePipeline names cannot contain "/" (pattern
 * `[A-Za-z0-9.@\-_]+`), so the three parts are unambiguous; `*` and `?` stay inside one part, as in
 * a shell, and names are compared case-sensitively, as CodePipeline does.
 */
export function isValidPattern(pattern: string): boolean {
  const parts = pattern.split("/");
  return parts.length === 3 && parts.every((part) => /^[A-Za-z0-9.@_\-*?]+$/.test(part));
}

export function matchesAddress(pattern: string, address: string): boolean {
  return compile(pattern).test(address);
}

function compile(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) => {
      if (char === "*") return "[^/]*";
      if (char === "?") return "[^/]";
      return char.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`);
}
