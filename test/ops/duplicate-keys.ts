/**
 * The keys written twice in one object of a JSON text, at any depth, as "path.key". JSON.parse
 * keeps the last of two equal keys without a word, so a log line is scanned as text here: a small
 * recursive-descent reader that keeps each object's keys.
 */
export function duplicateKeys(json: string): string[] {
  let at = 0;
  const found: string[] = [];
  const space = () => {
    while (/\s/.test(json[at] ?? "")) at += 1;
  };
  const string = (): string => {
    const start = at;
    at += 1;
    while (json[at] !== '"') at += json[at] === "\\" ? 2 : 1;
    at += 1;
    return JSON.parse(json.slice(start, at)) as string;
  };
  const value = (path: string): void => {
    space();
    const c = json[at];
    if (c === "{") {
      at += 1;
      const keys = new Set<string>();
      space();
      if (json[at] === "}") {
        at += 1;
        return;
      }
      for (;;) {
        space();
        const key = string();
        if (keys.has(key)) found.push(path ? `${path}.${key}` : key);
        keys.add(key);
        space();
        at += 1; // ':'
        value(path ? `${path}.${key}` : key);
        space();
        if (json[at++] === "}") return;
      }
    }
    if (c === "[") {
      at += 1;
      space();
      if (json[at] === "]") {
        at += 1;
        return;
      }
      for (;;) {
        value(`${path}[]`);
        space();
        if (json[at++] === "]") return;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    while (at < json.length && !/[\s,\]}]/.test(json[at] ?? "")) at += 1;
  };
  JSON.parse(json); // a malformed line fails here, with the parser's message
  value("");
  return found;
}
