import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateCloudFormation } from "../helpers/validate-cloudformation.js";

const templatePath = fileURLToPath(new URL("../../deploy/template.yaml", import.meta.url));

function templateFile(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "cfn-")), "template.yaml");
  writeFileSync(file, body);
  return file;
}

describe("CloudFormation validation (aws-cdk-lib CfnInclude)", () => {
  it("accepts deploy/template.yaml", () => {
    expect(() => validateCloudFormation(templatePath)).not.toThrow();
  }, 60_000);

  it("catches a property of the wrong type, so a pass means something", () => {
    const broken = templateFile(
      "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: soon\n",
    );
    expect(() => validateCloudFormation(broken)).toThrow(/visibilityTimeout.*should be a number/s);
  }, 60_000);

  it("catches a resource type CloudFormation does not have", () => {
    const broken = templateFile("Resources:\n  Queue:\n    Type: AWS::SQS::Queueue\n");
    expect(() => validateCloudFormation(broken)).toThrow(/unknown resource type AWS::SQS::Queueue/);
  }, 60_000);

  it("catches a property the resource type does not have", () => {
    const broken = templateFile(
      "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeOut: 30\n",
    );
    expect(() => validateCloudFormation(broken)).toThrow(
      /AWS::SQS::Queue has no property VisibilityTimeOut/,
    );
  }, 60_000);
});
