import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, appendFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonClick } from "./fixtures/github.js";
import { signWebhook } from "./helpers/deliver-webhook.js";
import { privateKey } from "./helpers/probot.js";
import { startSseChannel } from "./helpers/sse-channel.js";

/**
 * The README's development recipe, end to end with the real entry point (compiled as `npm start`
 * compiles it) in a fresh directory: `cp .env.example .env`, a webhook proxy channel, the setup
 * page, registration (Probot's import endpoint writes .env, as its GitHub redirect does), restart,
 * and a webhook that travels GitHub → channel → smee-client → the bridge. The channel is a local
 * server-sent events stand-in for smee.io; GitHub's API is a local recorder reached through
 * GHE_HOST, since this process has no network.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, ".test-build", "recipe");
const appId = "4242";
const webhookSecret = "recipe-secret";

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

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm start` in a checkout: node lib/main.js with the working directory's .env and app.yml. */
function start(cwd: string) {
  const child = spawn(process.execPath, [join(outDir, "main.js")], {
    cwd,
    env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    exited,
    output: () => output,
    async waitFor(text: string | RegExp, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = () => (typeof text === "string" ? output.includes(text) : text.test(output));
      while (!seen()) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`never saw ${String(text)} in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      return exited;
    },
  };
}

/** A stand-in for GitHub's API that records every request and answers 404. */
async function startGitHubRecorder() {
  const requests: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("the README's development recipe", () => {
  it("goes from .env.example to a webhook delivered through the proxy channel", async () => {
    const channel = await startSseChannel();
    cleanups.push(() => channel.stop());
    const github = await startGitHubRecorder();
    cleanups.push(() => github.stop());
    const port = await freePort();

    // cp .env.example .env, then the channel and (here) the local GitHub stand-in.
    const cwd = mkdtempSync(join(tmpdir(), "cpa-recipe-"));
    for (const file of [".env.example", "app.yml", "package.json"]) {
      copyFileSync(join(root, file), join(cwd, file));
    }
    copyFileSync(join(cwd, ".env.example"), join(cwd, ".env"));
    appendFileSync(
      join(cwd, ".env"),
      `\nWEBHOOK_PROXY_URL=${channel.url}\nPORT=${port}\nGHE_HOST=${github.host}\nGHE_PROTOCOL=http\n`,
    );

    // 1. npm start without credentials: the setup page, whose manifest registers the channel.
    const setup = start(cwd);
    cleanups.push(() => setup.stop());
    await setup.waitFor(`Please follow the instructions at http://localhost:${port}`);
    const page = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
    const manifest = JSON.parse(/value='([^']*)' >Register GitHub App/.exec(page)?.[1] ?? "{}") as {
      hook_attributes?: { url?: string };
      default_permissions?: Record<string, string>;
      default_events?: string[];
    };
    expect(manifest.hook_attributes?.url).toBe(channel.url);
    expect(manifest.default_events).toContain("check_run");
    expect(manifest.default_permissions).toMatchObject({ checks: "write", pull_requests: "read" });

    // 2. Registration writes the credentials to .env (Probot's import route, as its redirect does).
    const imported = await fetch(`http://127.0.0.1:${port}/probot/import`, {
      method: "POST",
      body: JSON.stringify({ appId, pem: privateKey, webhook_secret: webhookSecret }),
    });
    expect(imported.status).toBe(200);
    expect(readFileSync(join(cwd, ".env"), "utf8")).toMatch(/^APP_ID=4242$/m);
    expect(await setup.stop()).toBe(0);

    // 3. Restart: the bridge listens and smee-client forwards the channel to the webhook path.
    const bridge = start(cwd);
    cleanups.push(() => bridge.stop());
    await bridge.waitFor("forwarding webhooks from the smee channel");
    await channel.waitForListener();

    // 4. GitHub delivers to the channel: a forged delivery changes nothing, a signed one is handled.
    const payload = buttonClick();
    const body = JSON.stringify(payload);
    const headers = (signature: string) => ({
      "content-type": "application/json",
      "x-github-event": "check_run",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signature,
    });
    channel.deliver(headers(signWebhook(body, "not-the-secret")), payload);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(github.requests).toEqual([]);

    channel.deliver(headers(signWebhook(body, webhookSecret)), payload);
    const deadline = Date.now() + 15_000;
    while (github.requests.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The click's first step: an installation token, asked for with an app JWT issued by this app.
    const first = github.requests[0];
    expect(first?.url).toMatch(/^\/api\/v3\/app\/installations\/\d+\/access_tokens$/);
    const jwt = String(first?.headers.authorization).replace(/^bearer /i, "");
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as {
      iss?: unknown;
    };
    expect(String(claims.iss)).toBe(appId);
    expect(await bridge.stop()).toBe(0);
  }, 90_000);
});
