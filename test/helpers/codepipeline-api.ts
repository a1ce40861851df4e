import nock from "nock";
import { createCodePipelineClient } from "../../src/codepipeline/create-codepipeline-client.js";
import type { AwsAccounts } from "../../src/codepipeline/aws-accounts.schema.js";
import { createPipelineGateway } from "../../src/codepipeline/pipeline-gateway.js";

/**
 * CodePipeline intercepted at the HTTP layer: AWS JSON 1.1, one POST per operation named by the
 * x-amz-target header. https://docs.aws.amazon.com/codepipeline/latest/APIReference/
 */
export type CodePipelineOperation =
  | "GetPipeline"
  | "GetPipelineState"
  | "GetPipelineExecution"
  | "ListActionExecutions"
  | "PutApprovalResult";

const json = { "content-type": "application/x-amz-json-1.1" };

export function nockCodePipeline(
  operation: CodePipelineOperation,
  reply: unknown,
  {
    region = "us-east-1",
    status = 200,
    requests = [] as Record<string, unknown>[],
    /** Holds the response back this long, as a hung connection would. */
    delayMs = 0,
  } = {},
) {
  return nock(`https://codepipeline.${region}.amazonaws.com`)
    .post("/", (body: Record<string, unknown>) => {
      requests.push(body);
      return true;
    })
    .matchHeader("x-amz-target", `CodePipeline_20150709.${operation}`)
    .delay(delayMs)
    .reply(status, reply as nock.Body, json);
}

export function nockCodePipelineError(
  operation: CodePipelineOperation,
  type: string,
  status = 400,
) {
  return nockCodePipeline(
    operation,
    { __type: `com.amazonaws.codepipeline#${type}`, message: `${type} (test)` },
    { status },
  );
}

/**
 * The real adapter with SDK retries off, so each intercepted call is made exactly once; with
 * `accounts`, other accounts' calls use their assumed roles' credentials.
 */
export function createTestPipelineGateway(accounts?: AwsAccounts) {
  return createPipelineGateway({
    createClient: (region, credentials) =>
      createCodePipelineClient(region, { maxAttempts: 1, ...(credentials ? { credentials } : {}) }),
    ...(accounts ? { accounts } : {}),
  });
}
