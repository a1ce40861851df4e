import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseQueueMessage } from "../../src/intake/parse-queue-message.js";
import { approvalNotification, snsEnvelope } from "../fixtures/codepipeline.js";
import { stateChangeEvent } from "../lifecycle/state-change-fixtures.js";

function fromTopic(topicArn: string) {
  return JSON.stringify({ ...snsEnvelope(approvalNotification()), TopicArn: topicArn });
}

const accountIds = fc.stringMatching(/^\d{12}$/);
const regions = fc.constantFrom(
  "us-east-1",
  "us-west-2",
  "eu-west-1",
  "ap-southeast-2",
  "me-south-1",
);
const partitions = fc.constantFrom("aws", "aws-cn", "aws-us-gov");
const topicNames = fc.stringMatching(/^[A-Za-z0-9_-]{1,256}$/);

/** Where the account is read from; `account` is what parseQueueMessage should answer. */
function accountOf(body: string) {
  const parsed = parseQueueMessage(body);
  if (parsed.kind === "approval-needed") return { kind: parsed.kind, account: parsed.account };
  if (parsed.kind === "approval-state-change") {
    return { kind: parsed.kind, account: parsed.event.account };
  }
  return { kind: parsed.kind };
}

describe("knowing the account: every message names its approval's AWS account, or says it cannot", () => {
  it("reads a notification's account from any topic ARN in its SNS envelope", () => {
    fc.assert(
      fc.property(
        partitions,
        regions,
        accountIds,
        topicNames,
        (partition, region, account, name) => {
          expect(accountOf(fromTopic(`arn:${partition}:sns:${region}:${account}:${name}`))).toEqual(
            {
              kind: "approval-needed",
              account,
            },
          );
        },
      ),
    );
  });

  it("refuses a notification whose TopicArn is not a topic ARN instead of guessing its account", () => {
    const malformed = fc.oneof(
      fc.string(),
      accountIds.map((account) => `arn:aws:sqs:us-east-1:${account}:queue`),
      accountIds.map((account) => `arn:aws:sns:us-east-1:${account.slice(1)}:topic`),
      accountIds.map((account) => `arn:aws:sns:us-east-1:${account}:`),
    );
    fc.assert(
      fc.property(malformed, (topicArn) => {
        expect(parseQueueMessage(fromTopic(topicArn))).toMatchObject({
          kind: "invalid",
          reason: "the SNS TopicArn is not a topic ARN",
        });
      }),
    );
  });

  it("refuses an SNS envelope without a TopicArn instead of taking it for the bridge's own account", () => {
    const { TopicArn: _dropped, ...envelope } = snsEnvelope(approvalNotification());
    expect(parseQueueMessage(JSON.stringify(envelope))).toMatchObject({
      kind: "invalid",
      reason: "malformed SNS envelope",
      issues: [expect.objectContaining({ path: ["TopicArn"] })],
    });
  });

  it("leaves a raw-delivered notification's account to the configured default (it names none)", () => {
    expect(accountOf(JSON.stringify(approvalNotification()))).toEqual({
      kind: "approval-needed",
      account: undefined,
    });
  });

  it("reads an EventBridge event's account, as forwarded from another account's bus", () => {
    fc.assert(
      fc.property(accountIds, regions, (account, region) => {
        const event = { ...stateChangeEvent("SUCCEEDED"), account, region };
        expect(accountOf(JSON.stringify(event))).toEqual({
          kind: "approval-state-change",
          account,
        });
      }),
    );
  });

  it("refuses an event whose account is not an account id", () => {
    const event = { ...stateChangeEvent("SUCCEEDED"), account: "12345" };
    expect(parseQueueMessage(JSON.stringify(event))).toMatchObject({
      kind: "invalid",
      reason: "malformed CodePipeline event",
      issues: [expect.objectContaining({ path: ["account"] })],
    });
  });
});
