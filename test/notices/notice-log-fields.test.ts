import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { publishApproval } from "../../src/intake/publish-approval.js";
import { sha } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  repoPath,
} from "../helpers/github-api.js";
import { nockPostNotice, nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";

const commit = { owner: "octo-org", repo: "service", sha };

/** An intake's logger, as the queue handler makes it: the message and where it points. */
function setup() {
  const { log, lines } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  const intakeLog = log.child({ messageId: "m-1", repository: "octo-org/service", commit: sha });
  return { deps: { github: createInstallationClients(probot), log: intakeLog, appId }, lines };
}

function firstDelivery() {
  return [
    nockRepoInstallation(),
    nockInstallationToken(),
    nockListCheckRuns(sha, []),
    nockCreateCheckRun([]),
  ];
}

describe("the PR notice's log lines", () => {
  it("name the check run the notice announces, besides the intake's message and commit", async () => {
    const { deps, lines } = setup();
    const scopes = [
      ...firstDelivery(),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockPostNotice(42, []),
    ];

    await publishApproval(pendingApproval, commit, deps);

    expectAllDone(scopes);
    expect(lines.find((l) => l.msg === "approval announced on pull requests")).toMatchObject({
      checkRunId: 9001,
      pullRequests: [42],
      messageId: "m-1",
      repository: "octo-org/service",
      commit: sha,
    });
  });

  it("name the check run when GitHub refuses the notice", async () => {
    const { deps, lines } = setup();
    const scopes = [
      ...firstDelivery(),
      githubApi()
        .get(`${repoPath}/commits/${sha}/pulls`)
        .query(true)
        .reply(403, { message: "Resource not accessible by integration" }),
    ];

    await publishApproval(pendingApproval, commit, deps);

    expectAllDone(scopes);
    expect(
      lines.find((l) => l.msg === "could not post the approval notice on the pull request"),
    ).toMatchObject({ checkRunId: 9001, messageId: "m-1", commit: sha, level: 40 });
  });
});
