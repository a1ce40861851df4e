import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { publishApproval } from "../../src/intake/publish-approval.js";
import { noticeMarker } from "../../src/presentation/render-notice.js";
import { sha } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn } from "../fixtures/comments.js";
import { pendingApproval } from "../fixtures/github.js";
import {
  githubApi,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  repoPath,
} from "../helpers/github-api.js";
import {
  listedComment,
  nockPullRequestsForCommit,
  type ListedComment,
} from "../helpers/github-conversation-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { expectAllDone } from "../helpers/expect-all-done.js";

const commit = { owner: "octo-org", repo: "service", sha };
const notice = (id: number): ListedComment => ({ id, body: `${noticeMarker(9001)}\nwaiting` });

function setup() {
  const { log, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  return { github: createInstallationClients(probot), log, messages, appId };
}

/**
 * PR 42's conversation as GitHub keeps it: a post is applied whatever its answer says. `lose`
 * drops the answer of the first post (a 502 or a reset connection); `afterFirstList` runs once
 * the first listing answered (another replica posting in between).
 */
function nockConversation(
  comments: ListedComment[],
  { lose, afterFirstList }: { lose?: "502" | "reset"; afterFirstList?: () => void } = {},
) {
  const deleted: number[] = [];
  let lists = 0;
  let posts = 0;
  const scope = githubApi()
    .persist()
    .get(`${repoPath}/issues/42/comments`)
    .query(true)
    .reply(() => {
      const answer = comments.map(listedComment);
      if ((lists += 1) === 1) afterFirstList?.();
      return [200, answer];
    })
    .delete(/^\/repos\/octo-org\/service\/issues\/comments\/\d+$/)
    .reply((uri) => {
      const id = Number(uri.split("/").at(-1));
      const index = comments.findIndex((comment) => comment.id === id);
      if (index < 0) return [404, { message: "Not Found" }];
      comments.splice(index, 1);
      deleted.push(id);
      return [204];
    });
  const post = githubApi()
    .persist()
    .post(`${repoPath}/issues/42/comments`)
    .reply(function (_uri, body) {
      const id = 5001 + posts;
      posts += 1;
      comments.push({ id, body: (body as { body: string }).body });
      if (posts === 1 && lose === "reset") {
        this.req.destroy(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
      }
      if (posts === 1 && lose) return [502, { message: "Server Error" }];
      return [201, listedComment({ id, body: (body as { body: string }).body })];
    });
  return { comments, deleted, posts: () => posts, scopes: [scope, post] };
}

describe("the PR notice, when GitHub applied a post but its answer was lost", () => {
  it.each(["502", "reset"] as const)(
    "lists after the failed post (%s) and deletes it beside the notice another replica posted meanwhile; the retry posts nothing",
    async (lose) => {
      const deps = setup();
      const conversation = nockConversation([], {
        lose,
        // Another replica's notice lands between this delivery's look and its post.
        afterFirstList: () => conversation.comments.push(notice(5000)),
      });
      const delivery = () => [
        nockListCheckRuns(sha, [approvalCheckRunOn()]),
        nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      ];
      const first = [nockRepoInstallation(), nockInstallationToken(), ...delivery()];

      // A redelivery of the notification: the check run is there, its notice not yet.
      const failed = await publishApproval(pendingApproval, commit, deps).then(
        () => undefined,
        (error: unknown) => error,
      );
      // Octokit reports a connection that broke without an answer as a 500: both may be applied.
      expect(failed).toMatchObject({ status: lose === "502" ? 502 : 500 });
      expectAllDone(first);
      expect(conversation.deleted).toEqual([5001]);

      // The queue redelivers the message: the notice kept is found, and nothing is posted.
      const retry = delivery();
      await expect(publishApproval(pendingApproval, commit, deps)).resolves.toEqual({
        kind: "duplicate",
        checkRunId: 9001,
      });
      expectAllDone(retry);
      expect(conversation.posts()).toBe(1);
      expect(conversation.comments.map((comment) => comment.id)).toEqual([5000]);
    },
  );

  it("a redelivery that finds two notices for the run keeps the lowest and posts nothing", async () => {
    const deps = setup();
    const conversation = nockConversation([notice(5000), notice(5001)]);
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
    ];
    await expect(publishApproval(pendingApproval, commit, deps)).resolves.toEqual({
      kind: "duplicate",
      checkRunId: 9001,
    });
    expectAllDone(scopes);
    expect(conversation.deleted).toEqual([5001]);
    expect(conversation.posts()).toBe(0);
  });
});
