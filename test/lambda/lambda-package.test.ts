import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lambdaHandlers, packageLambda } from "../../scripts/package-lambda.js";
import sqsEvent from "../fixtures/lambda/sqs-event.json" with { type: "json" };
import functionUrlEvent from "../fixtures/lambda/function-url-event.json" with { type: "json" };
import { signWebhook } from "../helpers/deliver-webhook.js";
import { privateKey } from "../helpers/probot.js";
import { readZip } from "../helpers/read-zip.js";

/**
 * `npm run package:lambda`'s zip, unpacked as Lambda unpacks it and each handler invoked in a
 * fresh Node process (as a Lambda container would load it) with AWS's documented sample events:
 * the SQS event of https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and the function URL
 * request of https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html. Nothing here
 * reaches the network: the events need no GitHub or AWS call.
 */
const work = mkdtempSync(join(tmpdir(), "cpa-lambda-test-"));
const unpacked = join(work, "task");
let files: string[] = [];

beforeAll(async () => {
  const { outFile } = await packageLambda(join(work, "lambda.zip"));
  for (const [name, data] of readZip(readFileSync(outFile))) {
    mkdirSync(dirname(join(unpacked, name)), { recursive: true });
    writeFileSync(join(unpacked, name), data);
    files.push(name);
  }
  files = files.sort();
}, 120_000);

const webhookSecret = "lambda-secret";

/** Loads `<file>.mjs` and calls `handler(event)` as the Node.js runtime does, in a new process. */
function invoke(handlerPath: string, event: unknown) {
  const [file, exported] = [
    handlerPath.slice(0, handlerPath.lastIndexOf(".")),
    handlerPath.split(".").at(-1),
  ];
  const eventFile = join(work, `event-${Math.random()}.json`);
  const resultFile = `${eventFile}.result`;
  writeFileSync(eventFile, JSON.stringify(event));
  const runner = `
    import { readFileSync, writeFileSync } from "node:fs";
    const mod = await import(${JSON.stringify(join(unpacked, `${file}.mjs`))});
    const result = await mod[${JSON.stringify(exported)}](JSON.parse(readFileSync(process.argv[1], "utf8")));
    writeFileSync(process.argv[2], JSON.stringify(result));
  `;
  const stdout = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", runner, eventFile, resultFile],
    {
      cwd: unpacked,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        // What the template's functions set (deploy/template.yaml), the key base64 as there.
        APP_ID: "4242",
        PRIVATE_KEY: Buffer.from(privateKey).toString("base64"),
        WEBHOOK_SECRET: webhookSecret,
        NODE_ENV: "production",
        LOG_FORMAT: "json",
        AWS_REGION: "us-east-2",
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "test-secret",
      },
    },
  );
  const lines = stdout.split("\n").filter((line) => line.trim() !== "");
  return {
    result: JSON.parse(readFileSync(resultFile, "utf8")) as unknown,
    // Every line of output is a JSON log line: nothing raw in the function's logs.
    logs: lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("the Lambda package", () => {
  it("holds the two handlers the template names, as ES modules, with their shared chunks", () => {
    expect(lambdaHandlers).toEqual(["lib/lambda/queue.handler", "lib/lambda/webhooks.handler"]);
    expect(files).toEqual(
      expect.arrayContaining(["lib/lambda/queue.mjs", "lib/lambda/webhooks.mjs"]),
    );
    expect(files.every((name) => name.startsWith("lib/") && name.endsWith(".mjs"))).toBe(true);
  });

  it("queue handler: reports the unreadable sample message as failed and acknowledges the SNS confirmation", () => {
    const { result, logs } = invoke("lib/lambda/queue.handler", sqsEvent);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: "059f36b4-87a3-44ab-83d2-661975830a7d" }],
    });
    expect(logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/unprocessable message left for the dead-letter queue/),
      ]),
    );
  }, 60_000);

  it("webhook handler: answers a signed delivery 200 and a forged one 400", () => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const request = (signature: string) => ({
      ...functionUrlEvent,
      headers: {
        ...functionUrlEvent.headers,
        "x-github-event": "ping",
        "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "x-hub-signature-256": signature,
      },
      body,
    });
    expect(
      invoke("lib/lambda/webhooks.handler", request(signWebhook(body, webhookSecret))).result,
    ).toMatchObject({
      statusCode: 200,
    });
    expect(
      invoke("lib/lambda/webhooks.handler", request(signWebhook(body, "forged"))).result,
    ).toMatchObject({
      statusCode: 400,
    });
  }, 60_000);
});
