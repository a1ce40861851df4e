import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { productionNodeFlags } from "../../bench/production-node-flags.js";

/**
 * Static checks of the Dockerfile and .dockerignore (there is no Docker engine here). The one
 * dynamic check compiles src/ exactly as the image's build stage does and looks for the CMD's file.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));

// ---- Dockerfile parsing --------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  from: Instruction;
  name: string | undefined;
  instructions: Instruction[];
}

/**
 * Instructions with line continuations joined. As in Docker, comment lines (also inside a
 * continuation) and blank lines are dropped; the escape character is the default backslash.
 */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let buffer = "";
  let start = 0;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && buffer === "")) continue;
    if (buffer === "") start = i + 1;
    const continued = /\\\s*$/.test(raw);
    // Docker removes the escape and the newline and adds nothing in their place.
    buffer += continued ? raw.replace(/\\\s*$/, "") : raw;
    if (continued) continue;
    const match = /^\s*(\S+)\s*(.*)$/s.exec(buffer);
    if (match) {
      const [, keyword = "", args = ""] = match;
      instructions.push({ keyword: keyword.toUpperCase(), args: args.trim(), line: start });
    }
    buffer = "";
  }
  if (buffer.trim() !== "") throw new Error("Dockerfile ends inside a line continuation");
  return instructions;
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const name = /\s+AS\s+(\S+)\s*$/i.exec(instruction.args)?.[1];
      stages.push({ from: instruction, name, instructions: [] });
    } else {
      const current = stages.at(-1);
      if (!current) throw new Error(`${instruction.keyword} before the first FROM`);
      current.instructions.push(instruction);
    }
  }
  return stages;
}

/**
 * Splits on whitespace like Docker's word splitting: quotes may start mid-word (`B="two words"`),
 * are removed, and protect whitespace; a backslash escapes the next character outside single quotes.
 */
function words(text: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) word += text[++i] ?? "";
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < text.length) {
      word = (word ?? "") + (text[++i] ?? "");
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`);
  if (word !== undefined) out.push(word);
  return out;
}

/** JSON (exec) form `["a", "b"]`, or undefined for shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((p): p is string => typeof p === "string"))
    throw new Error(`not a JSON string array: ${args}`);
  return parsed;
}

/** Leading `--flag` / `--flag=value` options, and the rest. */
function splitFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args;
  for (;;) {
    const m = /^--([\w-]+)(?:=(\S*))?\s+/.exec(rest);
    if (!m) break;
    flags.set(m[1] ?? "", m[2] ?? "");
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** ENV key=value pairs (and the legacy `ENV key value` form). */
function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { args } of stage.instructions.filter((i) => i.keyword === "ENV")) {
    const parts = words(args);
    if (parts.length > 0 && !(parts[0] ?? "").includes("=")) {
      env.set(parts[0] ?? "", parts.slice(1).join(" "));
      continue;
    }
    for (const part of parts) {
      const eq = part.indexOf("=");
      env.set(part.slice(0, eq), part.slice(eq + 1));
    }
  }
  return env;
}

interface Copy {
  instruction: Instruction;
  flags: Map<string, string>;
  sources: string[];
  destination: string;
}

function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
    .map((instruction) => {
      const { flags, rest } = splitFlags(instruction.args);
      const paths = execForm(rest) ?? words(rest);
      if (paths.length < 2) throw new Error(`line ${instruction.line}: COPY needs a source`);
      return { instruction, flags, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" };
    });
}

// ---- .dockerignore -------------------------------------------------------------------------------

interface IgnoreRule {
  pattern: RegExp;
  negate: boolean;
}

/** Docker's rules: Go filepath.Match per segment plus `**`; the last matching line wins. */
function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const cleaned = posix
        .normalize((negate ? line.slice(1) : line).trim())
        .replace(/^\/+|\/+$/g, "");
      let source = "";
      for (let i = 0; i < cleaned.length; i++) {
        const c = cleaned[i] ?? "";
        if (c === "*" && cleaned[i + 1] === "*") {
          // `**/` matches zero or more directories, a trailing `**` everything below.
          source += cleaned[i + 2] === "/" ? "(?:.*/)?" : ".*";
          i += cleaned[i + 2] === "/" ? 2 : 1;
        } else if (c === "*") source += "[^/]*";
        else if (c === "?") source += "[^/]";
        else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
      }
      return { pattern: new RegExp(`^${source}$`), negate };
    });
}

/** True when the path, or a directory above it, is excluded from the build context. */
function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const segments = posix
    .normalize(path)
    .replace(/^\.\/|\/+$/g, "")
    .split("/");
  let ignored = false;
  for (let depth = 1; depth <= segments.length; depth++) {
    const prefix = segments.slice(0, depth).join("/");
    for (const rule of rules) if (rule.pattern.test(prefix)) ignored = !rule.negate;
    if (ignored) return true;
  }
  return ignored;
}

// ---- the files under test ------------------------------------------------------------------------

const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const instructions = parseDockerfile(dockerfile);
const stages = stagesOf(instructions);
const finalStage = stages.at(-1);
if (!finalStage) throw new Error("Dockerfile has no FROM");
const ignoreRules = parseDockerignore(readFileSync(join(root, ".dockerignore"), "utf8"));

describe("Dockerfile parser (self-test)", () => {
  it("joins continuation lines, drops comments inside them and splits stages", () => {
    const parsed = parseDockerfile(
      [
        "# syntax=docker/dockerfile:1",
        "FROM node:22-alpine AS build",
        "RUN echo a \\",
        "  # a comment inside the continuation",
        "  && echo b",
        'ENV A=1 B="two words"',
        "FROM node:22-alpine",
        'CMD ["node", "x.js"]',
      ].join("\n"),
    );
    expect(parsed.map((i) => [i.keyword, i.args, i.line])).toEqual([
      ["FROM", "node:22-alpine AS build", 2],
      ["RUN", "echo a   && echo b", 3],
      ["ENV", 'A=1 B="two words"', 6],
      ["FROM", "node:22-alpine", 7],
      ["CMD", '["node", "x.js"]', 8],
    ]);
    const [build, final] = stagesOf(parsed);
    expect(build?.name).toBe("build");
    expect(final?.name).toBeUndefined();
    expect(build && Object.fromEntries(envOf(build))).toEqual({ A: "1", B: "two words" });
  });

  it("matches .dockerignore patterns like Docker, including ** and negation", () => {
    const rules = parseDockerignore("*.pem\n**/.env\nsecret/\n*.md\n!README.md\n");
    expect(isIgnored(rules, "key.pem")).toBe(true);
    expect(isIgnored(rules, "sub/key.pem")).toBe(false); // `*.pem` is anchored at the root
    expect(isIgnored(rules, "a/b/.env")).toBe(true);
    expect(isIgnored(rules, "secret/x/y")).toBe(true);
    expect(isIgnored(rules, "NOTES.md")).toBe(true);
    expect(isIgnored(rules, "README.md")).toBe(false);
    expect(isIgnored(rules, "src/main.ts")).toBe(false);
  });
});

describe("Dockerfile", () => {
  it("builds every stage FROM an official node image on an even (LTS) major >= 20", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const problems = stages.flatMap(({ from }) => {
      const { rest } = splitFlags(from.args); // --platform=...
      const image = rest.split(/\s+/)[0] ?? "";
      const m = /^node:(\d+)(?:\.\d+){0,2}(?:-[a-z0-9.]+)*(?:@sha256:[0-9a-f]{64})?$/.exec(image);
      const major = Number(m?.[1]);
      return m && major >= 20 && major % 2 === 0 ? [] : [`line ${from.line}: ${image}`];
    });
    expect(problems).toEqual([]);
  });

  it("runs the final stage as a non-root user", () => {
    const users = finalStage.instructions.filter((i) => i.keyword === "USER");
    expect(users.length).toBeGreaterThan(0);
    const user = (users.at(-1)?.args ?? "").split(":")[0] ?? "";
    expect(["", "root", "0"]).not.toContain(user);
  });

  it("configures the runtime for containers: production, all interfaces, port 3000, JSON logs", () => {
    const env = envOf(finalStage);
    expect(env.get("HOST")).toBe("0.0.0.0");
    expect(env.get("NODE_ENV")).toBe("production");
    expect(env.get("PORT")).toBe("3000");
    expect(env.get("LOG_FORMAT")).toBe("json");
    const exposed = finalStage.instructions
      .filter((i) => i.keyword === "EXPOSE")
      .flatMap((i) => words(i.args));
    expect(exposed).toContain("3000");
  });

  it("health-checks GET /health with node itself (no curl in alpine)", () => {
    const checks = finalStage.instructions.filter((i) => i.keyword === "HEALTHCHECK");
    expect(checks).toHaveLength(1);
    const { rest } = splitFlags(checks[0]?.args ?? "");
    const cmd = /^CMD\s+(.*)$/s.exec(rest)?.[1] ?? "";
    const argv = execForm(cmd) ?? words(cmd);
    expect(argv[0]).toBe("node");
    expect(argv.join(" ")).toContain("/health");
    expect(argv.join(" ")).not.toMatch(/\b(curl|wget)\b/);
  });

  it("stops with SIGTERM, which src/main.ts answers by draining the messages in hand", () => {
    const signals = finalStage.instructions.filter((i) => i.keyword === "STOPSIGNAL");
    expect(signals.map((i) => i.args)).toEqual(["SIGTERM"]);
    // The grace to give `docker stop` and ECS, longer than the 30 s drain, is documented beside it.
    expect(dockerfile).toMatch(/--stop-timeout 40/);
    expect(dockerfile).toMatch(/stopTimeout: 40/);
  });

  it("starts with exec-form CMD node lib/main.js, so SIGTERM reaches node", () => {
    const cmds = finalStage.instructions.filter((i) => i.keyword === "CMD");
    expect(cmds).toHaveLength(1);
    const argv = execForm(cmds[0]?.args ?? "") ?? [];
    expect(argv[0]).toBe("node");
    expect(argv.at(-1)).toBe("lib/main.js");
    // An ENTRYPOINT in our stage would replace the image's exec-ing docker-entrypoint.sh.
    expect(finalStage.instructions.filter((i) => i.keyword === "ENTRYPOINT")).toEqual([]);
  });

  it("runs node with the flags of npm start, which the benchmark measures", () => {
    const argv = execForm(finalStage.instructions.find((i) => i.keyword === "CMD")?.args ?? "");
    expect(argv?.slice(1, -1)).toEqual(productionNodeFlags());
    // The memory settings the README's "Performance" figures were measured with.
    expect(productionNodeFlags()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^--max-semi-space-size=\d+$/),
        expect.stringMatching(/^--max-old-space-size=\d+$/),
      ]),
    );
  });

  it("keeps the files copied into the final stage owned by root, so the node user cannot rewrite them", () => {
    const copies = copiesOf(finalStage);
    expect(copies.length).toBeGreaterThan(0);
    const chowned = copies
      .filter((c) => c.flags.has("chown"))
      .map((c) => `line ${c.instruction.line}`);
    expect(chowned).toEqual([]);
  });

  it("copies only files that exist in the repo and are not excluded by .dockerignore", () => {
    const stageNames = new Set(stages.map((s) => s.name));
    const problems: string[] = [];
    for (const stage of stages) {
      for (const { instruction, flags, sources } of copiesOf(stage)) {
        const from = flags.get("from");
        if (from !== undefined) {
          if (!stageNames.has(from)) problems.push(`line ${instruction.line}: no stage ${from}`);
          continue;
        }
        for (const source of sources) {
          if (!existsSync(join(root, source)))
            problems.push(`line ${instruction.line}: ${source} does not exist`);
          else if (isIgnored(ignoreRules, source))
            problems.push(`line ${instruction.line}: ${source} is excluded by .dockerignore`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("emits the CMD's lib/main.js when src/ is compiled like the build stage (tsc -p tsconfig.build.json)", () => {
    const entry = execForm(finalStage.instructions.find((i) => i.keyword === "CMD")?.args ?? "");
    const relative = posix.relative("lib", entry?.at(-1) ?? "");
    expect(relative).toBe("main.js");

    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const outDir = mkdtempSync(join(tmpdir(), "codepipeline-approvals-build-"));
    try {
      try {
        execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", outDir], {
          cwd: root,
          stdio: "pipe",
          encoding: "utf8",
        });
      } catch (error) {
        const output =
          error instanceof Error && "stdout" in error ? String(error.stdout) : String(error);
        throw new Error(
          `tsc -p tsconfig.build.json failed, so the image would not build:\n${output}`,
        );
      }
      expect(existsSync(join(outDir, relative))).toBe(true);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe(".dockerignore", () => {
  it("keeps secrets, git history and local builds out of the build context", () => {
    const mustBeIgnored = [
      ".env",
      ".env.local",
      "config/.env",
      "private-key.pem",
      "codepipeline-approvals.2026-11-28.private-key.pem",
      "test/fixtures/mock-cert.pem",
      "nested/dir/key.pem",
      ".git",
      ".git/config",
      "node_modules",
      "node_modules/probot/package.json",
      "lib/main.js",
    ];
    expect(mustBeIgnored.filter((p) => !isIgnored(ignoreRules, p))).toEqual([]);
  });

  it("keeps what the build needs in the context", () => {
    const needed = [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "src/main.ts",
      "app.yml",
    ];
    expect(needed.filter((p) => isIgnored(ignoreRules, p))).toEqual([]);
  });
});
