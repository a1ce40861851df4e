import { afterEach, describe, expect, it, vi } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { UnmappedAccountError } from "../../src/codepipeline/account-clients.js";
import { actionExecutions } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  homeAccount,
  nockAssumeRole,
  nockSignedCodePipeline,
  ownAccessKeyId,
  productionAccount,
  stagingAccount,
  stagingRole,
  testAccounts,
  type AssumeRoleRequest,
  type Signed,
} from "./aws-api.js";

const inStaging: PendingApproval = {
  ...pendingApproval,
  account: stagingAccount,
  region: "us-west-2",
};
const approved = { approvedAt: 1764329180.5 };
const pending = actionExecutions([{ status: "InProgress" }]);

function dayOf(ms: number) {
  return new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("cross-account calls: each approval's calls go to its own account", () => {
  it("reads and answers an approval from a mapped account with the assumed role's credentials, scoped to the approval's region", async () => {
    const pipelines = createTestPipelineGateway(testAccounts());
    const assumed: AssumeRoleRequest[] = [];
    const signed: Signed[] = [];
    const scopes = [
      nockAssumeRole({ accessKeyId: "ASIASTAGING1", requests: assumed }),
      nockSignedCodePipeline("ListActionExecutions", pending, signed),
      nockSignedCodePipeline("PutApprovalResult", approved, signed),
    ];

    const state = await pipelines.readApprovalState(inStaging, new Date());
    const answer = await pipelines.putApprovalResult(inStaging, "Approved", "approved by @alice");

    expectAllDone(scopes);
    expect(state).toEqual({ kind: "pending" });
    expect(answer).toEqual({ kind: "recorded", approvedAt: "2025-11-28T11:26:20.500Z" });
    expect(assumed).toEqual([
      expect.objectContaining({
        Action: "AssumeRole",
        RoleArn: stagingRole,
        RoleSessionName: "codepipeline-approvals",
        ExternalId: "approvals-ext-1",
      }),
    ]);
    const today = dayOf(Date.now());
    expect(
      signed.map(({ operation, accessKeyId, scope, sessionToken }) => ({
        operation,
        accessKeyId,
        scope,
        sessionToken,
      })),
    ).toEqual([
      {
        operation: "ListActionExecutions",
        accessKeyId: "ASIASTAGING1",
        scope: `${today}/us-west-2/codepipeline/aws4_request`,
        sessionToken: "session-ASIASTAGING1",
      },
      {
        operation: "PutApprovalResult",
        accessKeyId: "ASIASTAGING1",
        scope: `${today}/us-west-2/codepipeline/aws4_request`,
        sessionToken: "session-ASIASTAGING1",
      },
    ]);
    expect(signed[1]!.body).toMatchObject({
      pipelineName: inStaging.pipelineName,
      token: inStaging.token,
    });
  });

  it("assumes the role once for many calls, and again only when the credentials are within five minutes of expiring", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-06T08:00:00Z") });
    const pipelines = createTestPipelineGateway(testAccounts());
    const assumed: AssumeRoleRequest[] = [];
    const signed: Signed[] = [];
    const first = nockAssumeRole({ accessKeyId: "ASIAFIRST", requests: assumed });
    nockSignedCodePipeline("ListActionExecutions", pending, signed, { times: 4 });

    await Promise.all([
      pipelines.readApprovalState(inStaging, new Date()),
      pipelines.readApprovalState(inStaging, new Date()),
    ]);
    vi.setSystemTime(Date.parse("2026-12-06T08:54:00Z")); // six minutes left: still used
    await pipelines.readApprovalState(inStaging, new Date());
    expect(assumed).toHaveLength(1);
    expectAllDone([first]);

    const second = nockAssumeRole({ accessKeyId: "ASIASECOND", requests: assumed });
    vi.setSystemTime(Date.parse("2026-12-06T08:56:00Z")); // four minutes left: refreshed first
    await pipelines.readApprovalState(inStaging, new Date());

    expectAllDone([second]);
    expect(assumed).toHaveLength(2);
    expect(signed.map((call) => call.accessKeyId)).toEqual([
      "ASIAFIRST",
      "ASIAFIRST",
      "ASIAFIRST",
      "ASIASECOND",
    ]);
    expect(signed[3]!.scope).toBe("20261206/us-west-2/codepipeline/aws4_request");
  });

  it("keeps one client (and one assumed role) per account and region", async () => {
    const pipelines = createTestPipelineGateway(testAccounts());
    const assumed: AssumeRoleRequest[] = [];
    const signed: Signed[] = [];
    const scopes = [
      nockAssumeRole({ accessKeyId: "ASIAWEST", requests: assumed }),
      nockAssumeRole({ region: "eu-west-1", accessKeyId: "ASIAEU", requests: assumed }),
      nockAssumeRole({ region: "eu-west-1", accessKeyId: "ASIAPROD", requests: assumed }),
      nockSignedCodePipeline("ListActionExecutions", pending, signed, { times: 2 }),
      nockSignedCodePipeline("ListActionExecutions", pending, signed, {
        region: "eu-west-1",
        times: 4,
      }),
    ];
    const inEurope = { ...inStaging, region: "eu-west-1" };
    const inProduction = { ...inEurope, account: productionAccount };

    for (const approval of [inStaging, inEurope, inProduction, inStaging, inEurope, inProduction]) {
      await pipelines.readApprovalState(approval, new Date());
    }

    expectAllDone(scopes);
    expect(assumed.map((request) => request.RoleArn)).toEqual([
      stagingRole,
      stagingRole,
      `arn:aws:iam::${productionAccount}:role/approvals-bridge`,
    ]);
    // The production role's trust asks for no external id, so none is sent.
    expect(assumed[2]).not.toHaveProperty("ExternalId");
    expect(signed.map((call) => `${call.accessKeyId} ${call.scope.split("/")[1]}`)).toEqual([
      "ASIAWEST us-west-2",
      "ASIAEU eu-west-1",
      "ASIAPROD eu-west-1",
      "ASIAWEST us-west-2",
      "ASIAEU eu-west-1",
      "ASIAPROD eu-west-1",
    ]);
  });

  it.each([
    ["the bridge's own account", homeAccount],
    ["no account (a check run created before accounts were recorded)", undefined],
  ])(
    "calls with the bridge's own credentials for %s, without assuming a role",
    async (_case, account) => {
      const pipelines = createTestPipelineGateway(testAccounts());
      const signed: Signed[] = [];
      const scope = nockSignedCodePipeline("PutApprovalResult", approved, signed, {
        region: "us-east-1",
      });
      const approval: PendingApproval = { ...pendingApproval, account };

      await expect(pipelines.putApprovalResult(approval, "Rejected", "no")).resolves.toMatchObject({
        kind: "recorded",
      });

      expectAllDone([scope]);
      expect(signed).toEqual([
        expect.objectContaining({ accessKeyId: ownAccessKeyId, sessionToken: undefined }),
      ]);
      expect(signed[0]!.scope).toMatch(/^\d{8}\/us-east-1\/codepipeline\/aws4_request$/);
    },
  );

  it("refuses an account with no role: no STS call, no CodePipeline call, never the bridge's own credentials", async () => {
    const pipelines = createTestPipelineGateway(testAccounts());
    const stranger: PendingApproval = { ...inStaging, account: "444444444444" };

    // Nothing is intercepted: any request would fail with a nock error, not this one.
    for (const call of [
      () => pipelines.readApprovalState(stranger, new Date()),
      () => pipelines.putApprovalResult(stranger, "Approved", "yes"),
      () => pipelines.findPendingExecution(stranger, stranger.token),
      () => pipelines.lookUpSourceCommits(stranger, stranger.pipelineName, stranger.executionId),
    ]) {
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(UnmappedAccountError);
      expect((error as Error).message).toBe(
        "AWS account 444444444444 has no role in AWS_ACCOUNT_ROLES and is not the bridge's own (111111111111): its approvals are not read or answered (docs/multi-account.md)",
      );
    }
  });

  it("configured with no accounts at all, stays single-account: any account named is called with the bridge's own credentials", async () => {
    const pipelines = createTestPipelineGateway();
    const signed: Signed[] = [];
    const scope = nockSignedCodePipeline("ListActionExecutions", pending, signed, {
      region: "us-east-1",
    });

    await pipelines.readApprovalState({ ...pendingApproval, account: "123456789012" }, new Date());

    expectAllDone([scope]);
    expect(signed[0]).toMatchObject({ accessKeyId: ownAccessKeyId, sessionToken: undefined });
  });
});
