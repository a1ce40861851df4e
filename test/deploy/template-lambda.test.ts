import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { validateCloudFormation } from "../helpers/validate-cloudformation.js";

const templatePath = fileURLToPath(new URL("../../deploy/template.yaml", import.meta.url));

// PipelineNames stays a parameter: CfnInclude takes only strings for parameter values.
const container = { CreateBridgeRole: "true" };
const lambda = {
  DeployLambda: "true",
  LambdaCodeBucket: "artifacts-bucket",
  LambdaCodeKey: "codepipeline-approvals/lambda.zip",
  GitHubAppId: "4242",
  GitHubPrivateKeyBase64: "LS0tLS1CRUdJTi0tLS0t",
  GitHubWebhookSecret: "secret",
  AlarmTopicArn: "arn:aws:sns:us-east-1:123456789012:oncall",
};

/** The template's resources with CloudFormation's tags kept as plain `{ tag: value }` objects. */
type Node = Record<string, unknown>;
function resources(): Record<string, Node> {
  const tagged = (tag: string) => ({
    tag: `!${tag}`,
    resolve: (value: unknown) => ({ [tag]: value }),
  });
  const tags = [
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "Split",
    "Select",
    "If",
    "Equals",
    "Not",
    "Or",
    "Condition",
  ];
  const doc = parseDocument(readFileSync(templatePath, "utf8"), {
    customTags: tags.flatMap((t) => [
      tagged(t),
      {
        ...tagged(t),
        collection: "seq" as const,
        resolve: (v: { toJSON(): unknown }) => ({ [t]: v.toJSON() }),
      },
    ]),
  });
  return (doc.toJS() as { Resources: Record<string, Node> }).Resources;
}
const props = (name: string) => resources()[name]?.Properties as Node;

describe("deploy/template.yaml through the CloudFormation validator", () => {
  it("is valid for a container deployment (no Lambda resources)", () => {
    expect(() => validateCloudFormation(templatePath, container)).not.toThrow();
  }, 120_000);

  it("is valid for a Lambda deployment", () => {
    expect(() => validateCloudFormation(templatePath, lambda)).not.toThrow();
  }, 120_000);
});

describe("deploy/template.yaml Lambda resources", () => {
  it("are all conditional on DeployLambda", () => {
    const lambdaOnly = Object.entries(resources()).filter(
      ([, r]) => String(r.Type).startsWith("AWS::Lambda::") || r.Type === "AWS::Logs::LogGroup",
    );
    expect(lambdaOnly.map(([name]) => name).sort()).toEqual([
      "QueueEventSource",
      "QueueFunction",
      "QueueFunctionLogGroup",
      "WebhookFunction",
      "WebhookFunctionInvokePermission",
      "WebhookFunctionLogGroup",
      "WebhookFunctionUrl",
      "WebhookFunctionUrlPermission",
    ]);
    for (const [, r] of lambdaOnly) expect(r.Condition).toBe("ShouldDeployLambda");
  });

  it("keeps the queue's visibility timeout at least six times the consumer's timeout", () => {
    const visibility = Number(props("ApprovalQueue").VisibilityTimeout);
    const timeout = Number(props("QueueFunction").Timeout);
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it("reports partial batch failures and names the handlers the package contains", () => {
    expect(props("QueueEventSource")).toMatchObject({
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      EventSourceArn: { GetAtt: "ApprovalQueue.Arn" },
    });
    expect(props("QueueFunction").Handler).toBe("lib/lambda/queue.handler");
    expect(props("WebhookFunction").Handler).toBe("lib/lambda/webhooks.handler");
    // GitHub gives up on a webhook after 10 s.
    expect(Number(props("WebhookFunction").Timeout)).toBeLessThanOrEqual(10);
  });

  it("keeps logs for LogRetentionDays in the functions' own log groups", () => {
    for (const fn of ["QueueFunction", "WebhookFunction"]) {
      expect(props(`${fn}LogGroup`).RetentionInDays).toEqual({ Ref: "LogRetentionDays" });
      expect(props(fn).LoggingConfig).toEqual({ LogGroup: { Ref: `${fn}LogGroup` } });
    }
  });

  it("exposes the webhook function through a public URL whose callers GitHub's signature authenticates", () => {
    expect(props("WebhookFunctionUrl")).toMatchObject({ AuthType: "NONE" });
    expect(props("WebhookFunctionUrlPermission")).toMatchObject({
      Action: "lambda:InvokeFunctionUrl",
      FunctionUrlAuthType: "NONE",
    });
    expect(props("WebhookFunctionInvokePermission")).toMatchObject({
      Action: "lambda:InvokeFunction",
      InvokedViaFunctionUrl: true,
    });
  });

  it("alarms on any message in the dead-letter queue", () => {
    expect(props("DeadLetterQueueAlarm")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { GetAtt: "DeadLetterQueue.QueueName" } }],
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
  });
});
