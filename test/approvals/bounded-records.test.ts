import fc from "fast-check";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { compactRecord, keptPerKind } from "../../src/approvals/compact-record.js";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { createDecisionGuard } from "../../src/approvals/decision-guard.js";
import { decideApproval } from "../../src/approvals/decide-approval.js";
import { renderCheckRun } from "../../src/presentation/render-check-run.js";
import { approvalCheckRun, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { githubApi, repo, repoPath, type JsonBody } from "../helpers/github-api.js";
import { TestOctokit } from "../helpers/probot.js";
import { quietMention } from "../../src/presentation/escape-markdown.js";

/** GitHub refuses an output.summary or output.text longer than this (422). */
const githubOutputLimit = 65_535;

const entryArbitrary: fc.Arbitrary<HistoryEntry> = fc.record({
  id: fc.uuid(),
  at: fc.constant("2026-11-28T12:00:00.000Z"),
  actor: fc.constantFrom("alice", "bob", "carol", "mallory", "eve"),
  actorId: fc.integer({ min: 1, max: 40 }),
  channel: fc.constantFrom("buttons" as const, "pr_comments" as const),
  verdict: fc.constant("Approved" as const),
  result: fc.constantFrom("refused" as const, "failed" as const, "counted" as const),
  detail: fc.string({ maxLength: 2_000 }),
});

describe("records never outgrow GitHub", () => {
  it("keeps summary and text within 65,535 characters however many refusals, failures and repeats pile up", () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 3_000 }), (history) => {
        const record = compactRecord({ ...newRecord(pendingApproval), history });
        const view = renderCheckRun({ approval: pendingApproval, record });
        expect(view.output.text.length).toBeLessThanOrEqual(githubOutputLimit);
        expect(view.output.summary.length).toBeLessThanOrEqual(githubOutputLimit);
        // Every account's first vote stays; only refusals and failures are cut to the latest few.
        const accounts = new Set(
          history.filter((e) => e.result === "counted").map((e) => e.actorId),
        );
        const kept = record.history.filter((e) => e.result === "counted");
        expect(new Set(kept.map((e) => e.actorId))).toEqual(accounts);
        expect(record.history.filter((e) => e.result === "refused").length).toBeLessThanOrEqual(
          keptPerKind,
        );
        const dropped = history.length - record.history.length;
        const omitted = record.omitted ?? { refused: 0, failed: 0, repeated: 0 };
        expect(omitted.refused + omitted.failed + omitted.repeated).toBe(dropped);
      }),
      { numRuns: 60 },
    );
  });

  it("writes every one of 2,000 refusals through GitHub's API within the limit, keeping the count", async () => {
    const bodies: JsonBody[] = [];
    const patches = githubApi()
      .persist()
      .patch(`${repoPath}/check-runs/9001`, (body: JsonBody) => {
        bodies.push(body);
        return true;
      })
      .reply(200, { id: 9001 });
    const reads = githubApi()
      .persist()
      .get(`${repoPath}/check-runs/9001/annotations`)
      .query(true)
      .reply(200, []);
    const deps = {
      octokit: new TestOctokit({ auth: "test" }),
      pipelines: createTestPipelineGateway(),
      // Refused as the policy would refuse someone with too little access, with a long reason.
      authorize: async () => ({
        kind: "refused" as const,
        reason: `not allowed: ${"x".repeat(900)}`,
      }),
      guard: createDecisionGuard(),
      log: pino({ level: "silent" }),
    };
    const checkRun = approvalCheckRun();

    for (let index = 0; index < 2_000; index++) {
      await decideApproval(
        {
          repo,
          checkRun,
          actor: { login: `outsider-${index}`, id: 50_000 + index, isBot: false },
          verdict: "Approved",
          channel: "buttons",
        },
        deps,
      );
    }
    patches.persist(false);
    reads.persist(false);

    expect(bodies).toHaveLength(2_000);
    for (const body of bodies) {
      const output = body.output as { text: string; summary: string };
      expect(output.text.length).toBeLessThanOrEqual(githubOutputLimit);
      expect(output.summary.length).toBeLessThanOrEqual(githubOutputLimit);
    }
    const last = String((bodies.at(-1)!.output as JsonBody).text);
    expect(last).toContain('"omitted":{"refused":1995,"failed":0,"repeated":0}');
    expect(last).toContain(quietMention("outsider-1999"));
  }, 120_000);
});
