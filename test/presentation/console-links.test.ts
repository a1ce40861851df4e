import { describe, expect, it } from "vitest";
import { executionConsoleUrl } from "../../src/presentation/console-links.js";

const execution = "695b5c69-7afe-43c2-a5e7-778ad1763485";
const at = (region: string) => executionConsoleUrl({ region, pipelineName: "web" }, execution);

describe("the execution's page in the AWS console", () => {
  it("is on the region's console host in the commercial partition", () => {
    expect(at("eu-west-1")).toBe(
      `https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/web/executions/${execution}/timeline?region=eu-west-1`,
    );
    expect(at("ap-southeast-4")).toMatch(/^https:\/\/ap-southeast-4\.console\.aws\.amazon\.com\//);
  });

  it("is not offered where the console lives on another host: China, GovCloud, isolated regions", () => {
    for (const region of ["cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-isob-east-1"]) {
      expect(at(region), region).toBeUndefined();
    }
  });

  it("is not offered for a region or an execution id that could not be part of the address", () => {
    expect(at("us-east-1/../evil")).toBeUndefined();
    expect(
      executionConsoleUrl({ region: "us-east-1", pipelineName: "web" }, "a/b"),
    ).toBeUndefined();
  });
});
