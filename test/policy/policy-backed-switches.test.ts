import { describe, expect, it } from "vitest";
import {
  notifyPullRequestsByPolicy,
  reviewsEnabledByPolicy,
} from "../../src/policy/policy-backed-switches.js";
import { nockInstallationToken, repo } from "../helpers/github-api.js";
import { nockNoPolicy, nockPolicyFile } from "../helpers/github-policy-api.js";
import { createTestProbot, installationId } from "../helpers/probot.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { pendingApproval } from "../fixtures/github.js";

async function octokit() {
  nockInstallationToken();
  return createTestProbot({ pipelines: createTestPipelineGateway() }).probot.auth(installationId);
}

describe("policy-backed switches", () => {
  it("turns reviews on only where the policy lists them", async () => {
    const client = await octokit();
    nockPolicyFile("defaults:\n  channels: [buttons, reviews]\n");
    expect(await reviewsEnabledByPolicy(client, repo)).toBe(true);
    nockNoPolicy();
    expect(await reviewsEnabledByPolicy(client, repo)).toBe(false);
  });

  it("keeps reviews off (fail closed) and notices on when the policy cannot be read", async () => {
    const client = await octokit();
    nockPolicyFile("", repo, 500);
    expect(await reviewsEnabledByPolicy(client, repo)).toBe(false);
    nockPolicyFile("", repo, 500);
    expect(await notifyPullRequestsByPolicy(client, repo, pendingApproval)).toBe(true);
  });

  it("follows notify_pr", async () => {
    const client = await octokit();
    nockPolicyFile("defaults:\n  notify_pr: false\n");
    expect(await notifyPullRequestsByPolicy(client, repo, pendingApproval)).toBe(false);
  });

  it("follows notify_pr of the rule that matches the approval, over the defaults", async () => {
    const client = await octokit();
    const policy = [
      "defaults:",
      "  notify_pr: false",
      "rules:",
      `  - match: "${pendingApproval.pipelineName}/*/*"`,
      "    notify_pr: true",
      "",
    ].join("\n");
    nockPolicyFile(policy);
    expect(await notifyPullRequestsByPolicy(client, repo, pendingApproval)).toBe(true);
    nockPolicyFile(policy);
    const other = { ...pendingApproval, pipelineName: "other-pipeline" };
    expect(await notifyPullRequestsByPolicy(client, repo, other)).toBe(false);
  });
});
