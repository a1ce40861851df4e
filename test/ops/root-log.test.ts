import { Writable } from "node:stream";
import pino from "pino";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createRootLog } from "../../src/ops/create-root-log.js";
import { singleKeyLog } from "../../src/ops/single-key-log.js";
import { appId, privateKey, TestOctokit } from "../helpers/probot.js";
import { duplicateKeys } from "./duplicate-keys.js";

function collect() {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { raw, destination };
}

async function settle() {
  await new Promise((resolve) => setImmediate(resolve));
}

describe("the process's root logger", () => {
  it("gives Probot's loggers one name each: probot's own, an event's, a GitHub client's", async () => {
    const { raw, destination } = collect();
    const log = await createRootLog({ level: "debug", format: "json", destination });
    const probot = new Probot({ appId, privateKey, secret: "s", log, Octokit: TestOctokit });
    await probot.ready();

    probot.log.info("started");
    probot.log.child({ name: "event", id: "d-1" }).child({ name: "github" }).debug("request");
    await settle();

    expect(raw.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { msg: "started", name: "probot" },
      { msg: "request", name: "github", id: "d-1" },
    ]);
    expect(raw.flatMap((line) => duplicateKeys(line))).toEqual([]);
  });

  it("writes pretty text, not JSON, when LOG_FORMAT is pretty", async () => {
    const { raw, destination } = collect();
    const log = await createRootLog({ level: "info", format: "pretty", destination });
    log.child({ name: "probot" }).info("hello");
    await settle();
    expect(raw.join("\n")).toMatch(/INFO.*probot.*hello/);
    expect(() => JSON.parse(raw[0] ?? "")).toThrow();
  });
});

describe("singleKeyLog", () => {
  it("binds each key once down a chain of children, the nearest value winning", () => {
    const raw: string[] = [];
    const log = singleKeyLog(pino({ level: "info" }, { write: (line: string) => raw.push(line) }));
    log.child({ name: "a", commit: "c1" }).child({ name: "b" }).child({ commit: "c2" }).info("x");
    expect(duplicateKeys(raw[0] ?? "")).toEqual([]);
    expect(JSON.parse(raw[0] ?? "")).toMatchObject({ name: "b", commit: "c2", msg: "x" });
  });

  it("lets a child inherit a level set on its parent, as pino's children do", () => {
    const raw: string[] = [];
    const log = singleKeyLog(pino({ level: "info" }, { write: (line: string) => raw.push(line) }));
    const parent = log.child({ name: "p" });
    parent.level = "debug";
    parent.child({ name: "c" }).debug("visible");
    log.child({ name: "other" }).debug("hidden");
    expect(raw.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["visible"]);
  });
});
