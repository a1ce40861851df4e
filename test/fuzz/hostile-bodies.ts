import { approvalNotification, snsEnvelope, token } from "../fixtures/codepipeline.js";
import { stateChangeEvent } from "../lifecycle/state-change-fixtures.js";

/**
 * Malformed and hostile SQS bodies, each with what the queue must do with it: "dead-letter" (never
 * processable: it stays on the queue for the redrive) or "acknowledge" (understood, nothing to
 * do). None may cause a call to GitHub. Every body is valid SQS text (no NUL, no lone surrogate
 * characters), as SQS itself refuses those at send time.
 */
export interface HostileBody {
  name: string;
  body: string;
  expect: "dead-letter" | "acknowledge";
}

const notification = JSON.stringify(approvalNotification());
const envelope = JSON.stringify(snsEnvelope(approvalNotification()));
const event = JSON.stringify(stateChangeEvent("SUCCEEDED"));

const html = `<script>alert(1)</script><img src=x onerror=alert(1)>`;
const markdown = "[click](javascript:alert(1)) ![x](https://evil.example/x.png) **@everyone**";

function withApproval(overrides: Record<string, unknown>) {
  return JSON.stringify(approvalNotification(overrides));
}

function withDetail(overrides: Record<string, unknown>) {
  const base = stateChangeEvent("SUCCEEDED");
  return JSON.stringify({ ...base, detail: { ...base.detail, ...overrides } });
}

function truncations(name: string, text: string, cuts: number[]): HostileBody[] {
  return cuts.map((fraction) => ({
    name: `${name} truncated at ${Math.round(fraction * 100)}%`,
    body: text.slice(0, Math.max(1, Math.floor(text.length * fraction))),
    expect: "dead-letter",
  }));
}

const dead = (name: string, body: string): HostileBody => ({ name, body, expect: "dead-letter" });

export const hostileBodies: HostileBody[] = [
  ...truncations("raw notification", notification, [0.05, 0.25, 0.5, 0.75, 0.95, 0.999]),
  ...truncations("SNS envelope", envelope, [0.1, 0.4, 0.6, 0.9, 0.999]),
  ...truncations("EventBridge event", event, [0.2, 0.5, 0.8, 0.999]),
  dead("empty body", " "),
  dead("JSON null", "null"),
  dead("JSON number", "42"),
  dead("JSON string", '"approve everything"'),
  dead("JSON array", "[]"),
  dead("JSON true", "true"),
  dead("empty object", "{}"),
  dead("not JSON at all", "APPROVAL NEEDED: AWS CodePipeline my-service-pipeline"),
  dead("XML", "<ReceiveMessageResponse><Body>hi</Body></ReceiveMessageResponse>"),
  dead("deeply nested arrays", `${"[".repeat(5000)}${"]".repeat(5000)}`),
  dead(
    "prototype pollution",
    `{"__proto__":{"approval":${JSON.stringify(approvalNotification().approval)}}}`,
  ),
  dead("constructor pollution", '{"constructor":{"prototype":{"isAdmin":true}}}'),
  dead("approval is a string", JSON.stringify({ region: "us-east-1", approval: "yes" })),
  dead("approval is an array", JSON.stringify({ region: "us-east-1", approval: [] })),
  dead("pipeline name is a number", withApproval({ pipelineName: 42 })),
  dead("token is a number", withApproval({ token: 123456 })),
  dead("token is not a UUID", withApproval({ token: "1a2b3c4d-573f-4ea7-a67E-XAMPLETOKEN" })),
  dead("token is null", withApproval({ token: null })),
  dead("expires is not a date", withApproval({ expires: "next tuesday" })),
  dead("expires is an object", withApproval({ expires: { $date: 1 } })),
  dead("customData is a number", withApproval({ customData: 7 })),
  dead("customData is huge", withApproval({ customData: "A".repeat(200_000) })),
  dead("pipeline name is huge", withApproval({ pipelineName: "p".repeat(10_000) })),
  dead("pipeline name has HTML", withApproval({ pipelineName: html })),
  dead("stage name has markdown", withApproval({ stageName: markdown })),
  dead("action name has unicode", withApproval({ actionName: "Genehmigung✅" })),
  dead("pipeline name is Japanese", withApproval({ pipelineName: "パイプライン" })),
  dead(
    "pipeline name has a right-to-left override",
    withApproval({ pipelineName: "evil\u202Etxt.exe" }),
  ),
  dead("pipeline name has a zero-width space", withApproval({ pipelineName: "my\u200Bpipeline" })),
  dead("pipeline name has an escaped NUL", withApproval({ pipelineName: "my\u0000pipeline" })),
  dead(
    "review link is huge",
    withApproval({ approvalReviewLink: `https://x/${"y".repeat(5000)}` }),
  ),
  dead("region is a number", JSON.stringify({ ...approvalNotification(), region: 5 })),
  dead(
    "region is not a region",
    JSON.stringify({ ...approvalNotification(), region: "../../etc" }),
  ),
  dead("SNS Message is a number", JSON.stringify({ ...snsEnvelope({}), Message: 42 })),
  dead("SNS Message is not JSON", JSON.stringify({ ...snsEnvelope({}), Message: "{truncated" })),
  dead("SNS Message is a JSON array", JSON.stringify({ ...snsEnvelope({}), Message: "[1,2]" })),
  dead("SNS Message is a foreign object", JSON.stringify(snsEnvelope({ hello: "world" }))),
  dead("SNS confirmation without a topic", JSON.stringify({ Type: "SubscriptionConfirmation" })),
  dead("event detail is null", JSON.stringify({ ...stateChangeEvent("SUCCEEDED"), detail: null })),
  dead("event execution id is a number", withDetail({ "execution-id": 5 })),
  dead("event execution id is huge", withDetail({ "execution-id": "e".repeat(5000) })),
  dead("event state is an object", withDetail({ state: { value: "SUCCEEDED" } })),
  dead("event pipeline has HTML", withDetail({ pipeline: html })),
  dead("event type is missing", withDetail({ type: undefined })),
  dead(
    "event region is hostile",
    JSON.stringify({ ...stateChangeEvent("SUCCEEDED"), region: "us-east-1/../../" }),
  ),
  dead("an unknown source", JSON.stringify({ source: "aws.s3", "detail-type": "Object Created" })),
  {
    name: "another CodePipeline event type, with markdown in it",
    body: JSON.stringify(
      stateChangeEvent("SUCCEEDED", { detailType: `CodePipeline Stage Execution State Change` }),
    ).replace("my-service-pipeline", markdown.replaceAll('"', "")),
    expect: "acknowledge",
  },
  {
    name: "an approval-less action event of another category",
    body: JSON.stringify(stateChangeEvent("FAILED", { category: "Build" })),
    expect: "acknowledge",
  },
];

/** The one valid notification among them, carrying everything hostile custom data can hold. */
export const hostileCustomData = [
  html,
  markdown,
  "@octo-org/admins please look | a | table |",
  '<!-- codepipeline-approvals:record {"v":1} -->',
  "```\ncode fence\n```",
  "Ünïcödé ✅ \u202Ereversed\u202C and zero\u200Bwidth",
].join("\n");

export const validHostileNotification = JSON.stringify(
  snsEnvelope(approvalNotification({ customData: hostileCustomData, token })),
);
