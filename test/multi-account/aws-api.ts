import nock from "nock";
import type { AwsAccounts } from "../../src/codepipeline/aws-accounts.schema.js";

/**
 * STS intercepted at the HTTP layer: the query protocol, a form-encoded POST with
 * `Action=AssumeRole`, answered with the XML the API documents.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export const homeAccount = "111111111111";
export const stagingAccount = "222222222222";
export const productionAccount = "333333333333";
export const stagingRole = `arn:aws:iam::${stagingAccount}:role/approvals-bridge`;
export const productionRole = `arn:aws:iam::${productionAccount}:role/approvals-bridge`;

/** The bridge's own test credentials (vitest.config.ts). */
export const ownAccessKeyId = "AKIDTEST";

export function testAccounts(overrides: Partial<AwsAccounts> = {}): AwsAccounts {
  return {
    home: homeAccount,
    roles: new Map([
      [stagingAccount, { roleArn: stagingRole, externalId: "approvals-ext-1" }],
      [productionAccount, { roleArn: productionRole }],
    ]),
    aliases: new Map([[stagingAccount, "staging"]]),
    ...overrides,
  };
}

export type AssumeRoleRequest = Record<string, string>;

/**
 * One AssumeRole answer: credentials whose access key id names the call, valid for `validForMs`.
 * With `roleArn`, only a request for that role is answered.
 */
export function nockAssumeRole({
  region = "us-west-2",
  roleArn,
  accessKeyId,
  validForMs = 60 * 60_000,
  now = () => Date.now(),
  requests = [],
}: {
  region?: string;
  roleArn?: string;
  accessKeyId: string;
  validForMs?: number;
  now?: () => number;
  requests?: AssumeRoleRequest[];
}) {
  return nock(`https://sts.${region}.amazonaws.com`)
    .post("/", (body: string | Record<string, string>) => {
      const form =
        typeof body === "string" ? Object.fromEntries(new URLSearchParams(body)) : { ...body };
      if (form.Action !== "AssumeRole") return false;
      if (roleArn !== undefined && form.RoleArn !== roleArn) return false;
      requests.push(form);
      return true;
    })
    .reply(
      200,
      () => `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>secret-${accessKeyId}</SecretAccessKey>
      <SessionToken>session-${accessKeyId}</SessionToken>
      <Expiration>${new Date(now() + validForMs).toISOString()}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROATEST:codepipeline-approvals</AssumedRoleId>
      <Arn>arn:aws:sts::${stagingAccount}:assumed-role/approvals-bridge/codepipeline-approvals</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`,
      { "content-type": "text/xml" },
    );
}

/** What a CodePipeline request was signed with: SigV4's credential scope and session token. */
export interface Signed {
  operation: string;
  accessKeyId: string;
  /** `<date>/<region>/<service>/aws4_request` */
  scope: string;
  sessionToken: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A CodePipeline operation in `region` that records who signed each request, from the
 * `authorization` header: `AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=…`.
 * With `accessKeyId`, only requests signed with that key are answered.
 */
export function nockSignedCodePipeline(
  operation: string,
  reply: unknown,
  signed: Signed[],
  { region = "us-west-2", times = 1, accessKeyId = undefined as string | undefined } = {},
) {
  return nock(`https://codepipeline.${region}.amazonaws.com`)
    .post("/")
    .matchHeader("x-amz-target", `CodePipeline_20150709.${operation}`)
    .matchHeader(
      "authorization",
      (value: string) => accessKeyId === undefined || value.includes(`Credential=${accessKeyId}/`),
    )
    .times(times)
    .reply(function (_uri, body) {
      const headers = this.req.headers;
      const credential = /Credential=([^/]+)\/([^,]+),/.exec(String(headers.authorization ?? ""));
      const token = headers["x-amz-security-token"];
      signed.push({
        operation,
        accessKeyId: credential?.[1] ?? "",
        scope: credential?.[2] ?? "",
        sessionToken: typeof token === "string" ? token : undefined,
        body: (typeof body === "string" ? JSON.parse(body) : body) as Record<string, unknown>,
      });
      return [200, reply as nock.Body, { "content-type": "application/x-amz-json-1.1" }];
    });
}
