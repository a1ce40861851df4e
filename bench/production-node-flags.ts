import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The node flags production starts the app with, read from package.json's "start" script
 * (`node <flags> lib/main.js`). The Dockerfile's CMD must carry the same flags
 * (test/deploy/dockerfile.test.ts), and the benchmark runs the app process with them, so the
 * memory it reports is the memory production gets.
 */
export function productionNodeFlags(
  // npm runs scripts (and vitest its tests) from the package root.
  packageJson: string = readFileSync(join(process.cwd(), "package.json"), "utf8"),
): string[] {
  const start = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts?.start;
  const match = /(?:^|&&\s*)node((?:\s+--[\w-]+(?:=\S+)?)*)\s+lib\/main\.js\s*$/.exec(start ?? "");
  if (!match) {
    throw new Error(`package.json "start" must end in "node [--flags] lib/main.js", not: ${start}`);
  }
  return (match[1] ?? "").split(/\s+/).filter((flag) => flag !== "");
}
