import { describe, expect, it } from "vitest";
import { commitThread } from "../../src/channels/reply-thread.js";
import { sha, token } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn, commitComment } from "../fixtures/comments.js";
import { createConversationProbot } from "../helpers/conversation-probot.js";
import { githubApi, repoPath } from "../helpers/github-api.js";
import { nockListCommitComments } from "../helpers/github-conversation-api.js";
import { createTestLog, receive, TestOctokit } from "../helpers/probot.js";
import { nockInstallationToken, nockListCheckRuns } from "../helpers/github-api.js";
import { createSent, expectAllDone, nockDecision } from "./command-scenarios.js";

/**
 * GitHub refuses an app's commit comment without Contents: write (docs/security.md), which the app
 * does not ask for. GitHub's answer, with the header that names the permission it accepts.
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#resource-not-accessible
 */
function nockReplyRefused(path = repoPath) {
  return githubApi().post(`${path}/commits/${sha}/comments`).reply(
    403,
    {
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest/commits/comments#create-a-commit-comment",
      status: "403",
    },
    { "x-accepted-github-permissions": "contents=write" },
  );
}

const warning =
  "cannot reply on commits in this repository: GitHub refuses the app's commit comments";

describe("a commit command whose reply GitHub refuses (no Contents: write)", () => {
  it("still decides, records the decision on the check run, and warns once per repository", async () => {
    const { probot, logLines } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, []),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      ...nockDecision(sent),
      nockReplyRefused(),
    ];

    await expect(
      receive(probot, "commit_comment", commitComment({ commentId: 800 })),
    ).resolves.toBeUndefined();

    expectAllDone(scopes);
    expect(sent.put).toEqual([
      expect.objectContaining({ token, result: expect.objectContaining({ status: "Approved" }) }),
    ]);
    expect(sent.updates).toEqual([expect.objectContaining({ conclusion: "success" })]);

    // A second command in the same repository: its reply is refused too, without a second warning.
    // (The installation token is cached.)
    const again = [nockListCommitComments(sha, []), nockListCheckRuns(sha, []), nockReplyRefused()];
    await expect(
      receive(probot, "commit_comment", commitComment({ commentId: 801 })),
    ).resolves.toBeUndefined();
    expectAllDone(again);

    const warnings = logLines.filter((line) => line.msg === warning);
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        repository: "octo-org/service",
        missingPermission: "contents: write",
        githubAccepts: "contents=write",
        error: expect.objectContaining({ name: "HttpError", status: 403 }),
        lost: expect.stringContaining("no reply on the commit"),
      }),
    ]);
    expect(logLines.filter((line) => line.level === 50)).toEqual([]);
    expect(
      logLines.filter((line) => line.msg === "reply on the commit refused (Contents: write)"),
    ).toHaveLength(1);
  });

  it("warns again for another repository, once", async () => {
    const { log, lines } = createTestLog();
    const octokit = new TestOctokit({ auth: "installation-token" });
    const forbidden = new Set<string>();
    const scopes = [
      nockReplyRefused(),
      nockReplyRefused(),
      nockReplyRefused("/repos/octo-org/other"),
    ];
    const here = { owner: "octo-org", repo: "service" };
    const there = { owner: "octo-org", repo: "other" };
    const marker = "<!-- m -->";

    await commitThread(octokit, here, sha, { marker, log, forbidden }).post("one");
    await commitThread(octokit, here, sha, { marker, log, forbidden }).post("two");
    await commitThread(octokit, there, sha, { marker, log, forbidden }).post("three");

    expectAllDone(scopes);
    expect(lines.filter((line) => line.msg === warning).map((line) => line.repository)).toEqual([
      "octo-org/service",
      "octo-org/other",
    ]);
  });

  it("still fails on an error that is not GitHub's refusal, so the delivery shows it", async () => {
    const { log } = createTestLog();
    const octokit = new TestOctokit({ auth: "installation-token" });
    const scope = githubApi()
      .post(`${repoPath}/commits/${sha}/comments`)
      .reply(422, { message: "Validation Failed" });
    await expect(
      commitThread(octokit, { owner: "octo-org", repo: "service" }, sha, {
        marker: "<!-- m -->",
        log,
        forbidden: new Set(),
      }).post("text"),
    ).rejects.toMatchObject({ status: 422 });
    expectAllDone([scope]);
  });
});
