import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import type { ReleaseChanges } from "../../src/approvals/release-changes.schema.js";
import { voteAnnotation } from "../../src/approvals/vote-log.js";
import { addChangesLater } from "../../src/intake/add-changes-later.js";
import { approvalCheckRun, pendingApproval } from "../fixtures/github.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import { githubApi, repo, type JsonBody } from "../helpers/github-api.js";
import { createTestLog, TestOctokit } from "../helpers/probot.js";

/**
 * The late write of what changed (a lookup that missed the budget) is a pending view: it must
 * never leave a decided approval looking pending. Decisions land at chosen points between its
 * requests, through the HTTP layer.
 */
const runPath = `/repos/${repo.owner}/${repo.repo}/check-runs/9001`;
const changes: ReleaseChanges = { since: { kind: "first-release" } };

const vote = (actor: string, fields: Partial<HistoryEntry>): HistoryEntry =>
  ({
    id: `vote-${actor}`,
    at: "2026-11-28T12:00:00.000Z",
    actor,
    channel: "buttons",
    verdict: "Approved",
    ...fields,
  }) as HistoryEntry;
const aliceCounted = vote("alice", { result: "counted", required: 2 });
const bobCloses = vote("bob", {
  result: "approved",
  closes: {
    kind: "decided",
    status: "Approved",
    deciders: ["alice", "bob"],
    channel: "buttons",
    at: "2026-11-28T12:01:00.000Z",
  },
});

/** The annotation log as each successive read finds it (the last one repeats). */
function run(logReads: HistoryEntry[][], checkRun: object = approvalCheckRun()) {
  const patched: JsonBody[] = [];
  let reads = 0;
  const scopes = [
    githubApi().get(runPath).reply(200, checkRun),
    githubApi()
      .persist()
      .patch(runPath)
      .reply(200, (_uri, body) => {
        patched.push(body as JsonBody);
        return { id: 9001 };
      }),
    githubApi()
      .persist()
      .get(`${runPath}/annotations`)
      .query(true)
      .reply(200, () =>
        (logReads[Math.min(reads++, logReads.length - 1)] ?? []).map(voteAnnotation),
      ),
  ];
  const { log, messages } = createTestLog();
  const octokit = new TestOctokit({ auth: "ghs_test" });
  return {
    patched,
    messages,
    scopes,
    add: () => addChangesLater(octokit, repo, 9001, Promise.resolve(changes), log),
    reads: () => reads,
  };
}

describe("adding what changed to a check run after it was created", () => {
  it("writes it once when nobody tried to decide meanwhile", async () => {
    const { patched, scopes, add, reads } = run([[]]);

    expect(await add()).toBe("added");

    expectAllDone(scopes.slice(0, 1));
    expect(patched).toHaveLength(1);
    expect(patched[0]).toMatchObject({ conclusion: "action_required" });
    expect(reads()).toBe(1);
  });

  it("shows the decision, not a pending run, when a vote counted before its write and the closing vote came after its first look at the log", async () => {
    // Read 1 (after the late write): alice's vote, counted. Read 2 (after the rewrite): bob's
    // vote closed the approval in between, and the closer's own closed view came before the
    // rewrite, which a late pending write would paint over.
    const { patched, add } = run([[aliceCounted], [aliceCounted, bobCloses]]);

    await add();

    expect(patched.map((body) => body.conclusion)).toEqual([
      "action_required",
      "action_required",
      "success",
    ]);
    expect(String((patched.at(-1)!.output as JsonBody).title)).toBe("Approved by @alice, @bob");
  });

  it("writes the closed view at once when the log already holds the decision", async () => {
    const { patched, add } = run([[aliceCounted, bobCloses]]);

    await add();

    expect(patched.map((body) => body.conclusion)).toEqual(["action_required", "success"]);
  });

  it("stops rewriting after a few rounds of new votes, its last write followed by a read", async () => {
    const votes = Array.from({ length: 8 }, (_, index) =>
      vote(`voter-${index}`, { result: "counted", required: 9 }),
    );
    const { patched, add, reads } = run(votes.map((_, index) => votes.slice(0, index + 1)));

    await add();

    // The first write and three rewrites, each followed by a read; the fourth read ends it.
    expect(patched).toHaveLength(4);
    expect(reads()).toBe(4);
  });

  it("leaves a run that moved on alone: someone already tried to decide", async () => {
    const touched = approvalCheckRun({
      approval: pendingApproval,
      record: { ...newRecord(pendingApproval), history: [aliceCounted] },
    });
    const { patched, add, reads } = run([[aliceCounted]], touched);

    expect(await add()).toBe("skipped");

    expect(patched).toEqual([]);
    expect(reads()).toBe(0);
  });
});
