import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * One Node policy (docs/development.md, "Node versions"): package.json's engines, the image, the
 * Lambda runtime, the Node running the tests and the docs' table agree.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;

type Version = [number, number, number];

function parse(version: string): Version {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, "").split(".").map(Number);
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** npm's range semantics for the forms engines uses: `^x.y.z`, `>=x[.y.z]`, joined by `||`. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split("||").some((part) => {
    const term = part.trim();
    const caret = /^\^(\d+\.\d+\.\d+)$/.exec(term);
    if (caret) {
      const floor = parse(caret[1] ?? "");
      return v[0] === floor[0] && compare(v, floor) >= 0;
    }
    const atLeast = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(term);
    if (atLeast) return compare(v, parse(atLeast[1] ?? "")) >= 0;
    throw new Error(`unsupported range term: ${term}`);
  });
}

describe("the Node policy", () => {
  it("reads ranges as npm does (self-test)", () => {
    expect(satisfies("20.18.1", "^20.18.1 || >=22")).toBe(true);
    expect(satisfies("20.18.0", "^20.18.1 || >=22")).toBe(false);
    expect(satisfies("21.7.0", "^20.18.1 || >=22")).toBe(false);
    expect(satisfies("24.0.0", "^20.18.1 || >=22")).toBe(true);
    expect(satisfies("18.20.0", "^20.18.1 || >=22")).toBe(false);
  });

  it("accepts the Node running these tests (CI), so CI never runs an unsupported version", () => {
    expect(satisfies(process.version, engines)).toBe(true);
  });

  it("runs the image and the Lambda functions on one even (LTS) major that engines accepts", () => {
    const images = [...read("Dockerfile").matchAll(/^FROM\s+node:(\d+)/gm)].map((m) => m[1]);
    const runtimes = [...read("deploy/template.yaml").matchAll(/Runtime:\s*nodejs(\d+)\.x/g)].map(
      (m) => m[1],
    );
    expect(new Set([...images, ...runtimes]).size).toBe(1);
    const major = Number(images[0]);
    expect(major % 2).toBe(0);
    expect(satisfies(`${major}.0.0`, engines)).toBe(true);
  });

  it("is the policy docs/development.md states", () => {
    const docs = read("docs/development.md");
    expect(docs).toContain(`\`${engines.replace("||", "\\|\\|")}\``);
    const major = /^FROM\s+node:(\d+)/m.exec(read("Dockerfile"))?.[1];
    expect(docs).toContain(`\`node:${major}-alpine\``);
    expect(docs).toContain(`\`nodejs${major}.x\``);
  });
});
