import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateCloudFormation } from "../helpers/validate-cloudformation.js";

const spoke = fileURLToPath(new URL("../../deploy/spoke.yaml", import.meta.url));

// The hub, with its new parameters and conditional resources, is validated whole by
// test/deploy/template-validator.test.ts: CfnInclude checks every resource whatever the conditions.
describe("deploy/spoke.yaml passes the CloudFormation validator the main template uses", () => {
  it("accepts every resource and property, whatever the conditions", () => {
    expect(() => validateCloudFormation(spoke)).not.toThrow();
  }, 60_000);
});
