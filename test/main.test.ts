import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { privateKey, webhookSecret } from "./helpers/probot.js";

/** The real entry point, compiled as `npm start` compiles it, run as a separate process. */
const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, ".test-build", "main");
const cwd = mkdtempSync(join(tmpdir(), "cpa-main-")); // no .env or *.pem to pick up

beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules/typescript/bin/tsc"),
      "-p",
      "tsconfig.build.json",
      "--outDir",
      outDir,
    ],
    { cwd: root },
  );
}, 180_000);

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [join(outDir, "main.js")], {
    cwd,
    env: {
      PATH: process.env.PATH,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe("npm start's entry point", () => {
  it("stops with one message listing every configuration problem", async () => {
    const app = start({ APP_ID: "abc", PORT: "99999", SQS_QUEUE_URL: "nope" });
    expect(await app.exited).toBe(1);
    const { stderr } = app.output();
    expect(stderr).toContain("Invalid configuration:");
    for (const name of ["APP_ID", "PORT", "SQS_QUEUE_URL"]) expect(stderr).toContain(name);
  });

  it("exits 0 on SIGTERM", async () => {
    const app = start({
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: webhookSecret,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_FORMAT: "json",
    });
    const deadline = Date.now() + 15_000;
    while (!app.output().stdout.includes("Listening on") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(app.output().stdout).toContain("intake is off");
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
  });
});
