import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, CfnResource, Stack } from "aws-cdk-lib";
import { CfnInclude } from "aws-cdk-lib/cloudformation-include";

/**
 * Runs a CloudFormation template through aws-cdk-lib's CfnInclude, which turns every resource into
 * its generated L1 class and checks each known property's type against CloudFormation's resource
 * specification (a wrong type throws). CfnInclude keeps what it does not know instead of failing:
 * an unknown resource type becomes a plain CfnResource and an unknown property a raw override, so
 * both are reported here too. There is no AWS account here, so this stands in for
 * `aws cloudformation validate-template` (and checks more).
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.cloudformation_include-readme.html
 */
export function validateCloudFormation(
  templateFile: string,
  parameters: Record<string, string> = {},
): void {
  const outdir = mkdtempSync(join(tmpdir(), "cfn-validate-"));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, "Validate");
    const template = new CfnInclude(stack, "Template", { templateFile, parameters });
    const problems = template.node
      .findAll()
      .filter((node): node is CfnResource => node instanceof CfnResource)
      .flatMap((resource) => problemsOf(resource));
    if (problems.length > 0)
      throw new Error(`Invalid template ${templateFile}:\n${problems.join("\n")}`);
    app.synth();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function problemsOf(resource: CfnResource): string[] {
  const id = resource.logicalId;
  const problems: string[] = [];
  if (resource.constructor === CfnResource && !resource.cfnResourceType.startsWith("Custom::")) {
    problems.push(`${id}: unknown resource type ${resource.cfnResourceType}`);
  }
  const raw = (resource as unknown as { rawOverrides?: { Properties?: object } }).rawOverrides;
  for (const key of Object.keys(raw?.Properties ?? {})) {
    problems.push(`${id}: ${resource.cfnResourceType} has no property ${key}`);
  }
  return problems;
}
