import { describe, expect, it } from "vitest";
import { parseQueueMessage } from "../../src/intake/parse-queue-message.js";
import { approvalNotification, snsEnvelope, token } from "../fixtures/codepipeline.js";

describe("parseQueueMessage", () => {
  it("reads the approval from an SNS envelope (raw delivery off)", () => {
    const parsed = parseQueueMessage(JSON.stringify(snsEnvelope(approvalNotification())));
    expect(parsed.kind).toBe("approval-needed");
    if (parsed.kind !== "approval-needed") return;
    expect(parsed.notification.approval).toMatchObject({
      pipelineName: "my-service-pipeline",
      stageName: "Approval",
      actionName: "ManualApproval",
      token,
    });
  });

  it("reads raw-delivered approval JSON", () => {
    const parsed = parseQueueMessage(JSON.stringify(approvalNotification()));
    expect(parsed).toMatchObject({
      kind: "approval-needed",
      notification: { region: "us-east-1" },
    });
  });

  it("accepts minute-precision expiry and null or missing optional fields", () => {
    const body = approvalNotification({
      expires: "2016-07-07T20:22Z",
      externalEntityLink: null,
      customData: null,
    });
    delete (body.approval as Record<string, unknown>).customData;
    const parsed = parseQueueMessage(JSON.stringify(body));
    expect(parsed).toMatchObject({
      kind: "approval-needed",
      notification: { approval: { expires: "2016-07-07T20:22:00.000Z" } },
    });
  });

  it("keeps zod's issues for a malformed approval", () => {
    const parsed = parseQueueMessage(
      JSON.stringify(approvalNotification({ token: "1a2b3c4d-573f-4ea7-a67E-XAMPLETOKEN" })),
    );
    expect(parsed.kind).toBe("invalid");
    if (parsed.kind !== "invalid") return;
    expect(parsed.issues?.[0]?.path).toEqual(["approval", "token"]);
  });

  it.each([
    ["", "the message has no body"],
    ["{not json", "the body is not JSON"],
    ["[1,2]", "the body is not a JSON object"],
    ['{"hello":"world"}', "neither an approval notification nor a CodePipeline event"],
    [
      JSON.stringify({
        Type: "Notification",
        TopicArn: "arn:aws:sns:us-east-1:123456789012:pipeline-approvals",
        Message: "not json",
      }),
      "the SNS Message is not a JSON object",
    ],
  ])("refuses %j: %s", (body, reason) => {
    expect(parseQueueMessage(body)).toMatchObject({ kind: "invalid", reason });
  });

  it("recognizes SNS subscription confirmations", () => {
    const parsed = parseQueueMessage(
      JSON.stringify({
        Type: "SubscriptionConfirmation",
        TopicArn: "arn:aws:sns:us-east-1:1:t",
        SubscribeURL: "https://sns/confirm",
      }),
    );
    expect(parsed).toMatchObject({
      kind: "subscription-confirmation",
      subscribeUrl: "https://sns/confirm",
    });
  });

  it("classifies approval action state change events and ignores other CodePipeline events", () => {
    const event = {
      version: "0",
      "detail-type": "CodePipeline Action Execution State Change",
      source: "aws.codepipeline",
      region: "us-east-1",
      time: "2026-11-28T11:09:38Z",
      detail: {
        pipeline: "my-service-pipeline",
        "execution-id": "695b5c69-7afe-43c2-a5e7-778ad1763485",
        stage: "Approval",
        action: "ManualApproval",
        state: "SUCCEEDED",
        type: { owner: "AWS", provider: "Manual", category: "Approval", version: "1" },
        version: 5.0,
      },
    };
    expect(parseQueueMessage(JSON.stringify(event)).kind).toBe("approval-state-change");
    const build = {
      ...event,
      detail: { ...event.detail, type: { ...event.detail.type, category: "Build" } },
    };
    expect(parseQueueMessage(JSON.stringify(build)).kind).toBe("ignored");
    const stage = { ...event, "detail-type": "CodePipeline Stage Execution State Change" };
    expect(parseQueueMessage(JSON.stringify(stage)).kind).toBe("ignored");
  });
});
