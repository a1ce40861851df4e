import { describe, expect, it } from "vitest";
import { sha } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn, pullRequestComment } from "../fixtures/comments.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import {
  nockInstallationToken,
  nockListAnnotations,
  nockListCheckRuns,
  nockPermission,
  nockUpdateCheckRun,
} from "../helpers/github-api.js";
import { nockAnswerSearch } from "../helpers/github-command-api.js";
import {
  nockCreateIssueComment,
  nockGetPullRequest,
  nockReactToIssueComment,
} from "../helpers/github-conversation-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import {
  createSent,
  expectAllDone,
  nockPullRequestCommand,
} from "../channels/command-scenarios.js";

/**
 * Anyone can comment `/approve` on a public repository. Someone without read access is refused
 * visibly once an hour per repository; after that, their commands cost reads and no write: no
 * reaction, no audit entry, no reply (docs/design.md, "Outsiders").
 */
describe("refusals of people without read access", () => {
  it("answers an outsider's first /approve, then writes nothing for the next one within the hour", async () => {
    const { probot, logLines } = createTestProbot({
      pipelines: createTestPipelineGateway(),
      now: () => new Date("2026-11-28T12:00:00Z"),
    });
    const sent = createSent();
    const first = [
      ...nockPullRequestCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      ...nockNoPolicy(),
      nockPermission("mallory", "none"),
      nockUpdateCheckRun(9001, sent.updates),
      nockListAnnotations(9001),
    ];
    await receive(probot, "issue_comment", pullRequestComment({ login: "mallory" }));
    expectAllDone(first);
    expect(sent.reactions).toHaveLength(1);
    expect(sent.updates).toHaveLength(1);
    expect(String(sent.replies[0]!.body)).toContain("🚫 Not applied");

    // The same account again: reads only. A reaction, PATCH or reply would find no interceptor.
    const second = [
      nockAnswerSearch(42, []),
      nockGetPullRequest(42, { headSha: sha }),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      ...nockNoPolicy(),
      nockPermission("mallory", "none"),
    ];
    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "mallory", commentId: 701 }),
    );

    expectAllDone(second);
    expect(sent.reactions).toHaveLength(1);
    expect(sent.updates).toHaveLength(1);
    expect(sent.replies).toHaveLength(1);
    expect(logLines.map((line) => line.msg)).toContain("outsider refused again; not written");
  });

  it("still writes every refusal of someone with read access (no ration)", async () => {
    const { probot } = createTestProbot({
      pipelines: createTestPipelineGateway(),
      now: () => new Date("2026-11-28T12:00:00Z"),
    });
    const sent = createSent();
    for (const commentId of [700, 701]) {
      const scopes = [
        ...(commentId === 700 ? [nockInstallationToken()] : []),
        nockReactToIssueComment(commentId, sent.reactions),
        nockAnswerSearch(42, []),
        nockGetPullRequest(42, { headSha: sha }),
        nockListCheckRuns(sha, [approvalCheckRunOn()]),
        ...nockNoPolicy(),
        nockPermission("reader", "read"),
        nockUpdateCheckRun(9001, sent.updates),
        nockListAnnotations(9001),
        nockCreateIssueComment(42, sent.replies),
      ];
      await receive(probot, "issue_comment", pullRequestComment({ login: "reader", commentId }));
      expectAllDone(scopes);
    }
    expect(sent.reactions).toHaveLength(2);
    expect(sent.updates).toHaveLength(2);
    expect(sent.replies).toHaveLength(2);
  });
});
