import { describe, expect, it } from "vitest";
import { summarizeDecision, awsSummaryLimit } from "../../src/presentation/approval-summary.js";
import type { Resolution } from "../../src/approvals/check-run-record.schema.js";
import { newRecord, readTrackedApproval } from "../../src/approvals/check-run-record.js";
import { codeSpan, escapeOneLine, quoteBlock } from "../../src/presentation/escape-markdown.js";
import { renderCheckRun } from "../../src/presentation/render-check-run.js";
import { pendingApproval } from "../fixtures/github.js";

const pending = { approval: pendingApproval, record: newRecord(pendingApproval) };

describe("renderCheckRun", () => {
  it("shows a pending approval as action_required with Approve and Request changes buttons", () => {
    const view = renderCheckRun(pending);
    expect(view.status).toBe("completed");
    expect(view.conclusion).toBe("action_required");
    expect(view.actions.map((a) => a.identifier)).toEqual(["approve", "reject"]);
    expect(view.details_url).toBe(pendingApproval.approvalReviewLink);
    for (const action of view.actions) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.identifier.length).toBeLessThanOrEqual(20);
      expect(action.description.length).toBeLessThanOrEqual(40);
    }
  });

  it("names the check run after pipeline, stage and action, so two approvals on one commit stay apart", () => {
    const other = renderCheckRun({
      ...pending,
      approval: { ...pendingApproval, stageName: "Prod" },
    });
    expect(renderCheckRun(pending).name).toBe(
      "CodePipeline: my-service-pipeline/Approval/ManualApproval",
    );
    expect(other.name).not.toBe(renderCheckRun(pending).name);
  });

  it("tells a reviewer what, where, until when and how to decide", () => {
    const { summary } = renderCheckRun(pending).output;
    for (const expected of [
      "`my-service-pipeline`",
      "`Approval`",
      "`ManualApproval`",
      "`us-east-1`",
      "2026-12-05 11:09 UTC",
      "Please review before prod",
      "/approve",
      "/reject",
    ]) {
      expect(summary).toContain(expected);
    }
  });

  it("escapes custom data: no HTML, links, images or mentions", () => {
    const hostile =
      "<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![i](http://x) @everyone | table";
    const { summary } = renderCheckRun({
      ...pending,
      approval: { ...pendingApproval, customData: hostile },
    }).output;
    expect(summary).not.toContain("<img");
    expect(summary).not.toContain("](javascript");
    expect(summary).not.toContain("![i]");
    expect(summary).not.toContain("@everyone");
    expect(summary).toContain("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;");
  });

  it("round-trips the approval through external_id and the hidden record", () => {
    const view = renderCheckRun(pending);
    const read = readTrackedApproval({
      id: 1,
      name: view.name,
      head_sha: "a",
      external_id: view.external_id,
      output: { text: view.output.text },
    });
    expect(read).toEqual(pending);
  });

  it("keeps the record intact when custom data tries to close the HTML comment", () => {
    const approval = {
      ...pendingApproval,
      customData: "--> <script>x</script> <!-- codepipeline-approvals:record {}",
    };
    const view = renderCheckRun({ approval, record: newRecord(approval) });
    const read = readTrackedApproval({
      id: 1,
      name: view.name,
      head_sha: "a",
      external_id: view.external_id,
      output: { text: view.output.text },
    });
    expect(read?.approval.customData).toBe(approval.customData);
  });

  it("removes the buttons and names who decided, when and why once decided", () => {
    const view = renderCheckRun({
      approval: pendingApproval,
      record: {
        ...pending.record,
        resolution: {
          kind: "decided",
          status: "Rejected",
          deciders: ["alice"],
          channel: "buttons",
          reason: "not reversible",
          at: "2026-11-28T12:00:00.000Z",
        },
      },
    });
    expect(view.conclusion).toBe("failure");
    expect(view.actions).toEqual([]);
    expect(view.output.title).toBe("Rejected by @alice");
    expect(view.output.summary).toContain("2026-11-28 12:00 UTC");
    expect(view.output.summary).toContain("not reversible");
  });

  it.each([
    [{ kind: "expired" as const }, "timed_out"],
    [{ kind: "superseded" as const }, "cancelled"],
    [{ kind: "gone" as const, what: "action" as const }, "neutral"],
    [
      { kind: "decided-outside" as const, status: "Approved" as const, viaGitHub: false },
      "success",
    ],
  ])("maps %j to conclusion %s", (resolution, conclusion) => {
    expect(
      renderCheckRun({ approval: pendingApproval, record: { ...pending.record, resolution } })
        .conclusion,
    ).toBe(conclusion);
  });
});

describe("closed by the pipeline", () => {
  const closedBy = (resolution: Resolution, detail: string) =>
    renderCheckRun({
      approval: pendingApproval,
      record: {
        ...pending.record,
        resolution,
        history: [
          {
            at: "2026-11-30T09:15:00.000Z",
            actor: "CodePipeline",
            channel: "aws",
            result: "stale",
            detail,
          },
        ],
      },
    });

  it("names CodePipeline in the audit trail without mentioning a GitHub account", () => {
    const { text } = closedBy(
      { kind: "expired" },
      "CodePipeline reported FAILED: the approval expired without a decision",
    ).output;
    expect(text).toContain(
      "| 2026-11-30 09:15 UTC | CodePipeline | CodePipeline |  | closed by CodePipeline | CodePipeline reported FAILED\\: the approval expired without a decision |",
    );
    expect(text).not.toContain("@CodePipeline");
  });

  it("calls an approval superseded only when a newer execution is known", () => {
    const view = closedBy(
      { kind: "superseded", byExecutionId: "77777777-aaaa-4bbb-8ccc-dddddddddddd" },
      "CodePipeline reported CANCELED: superseded by pipeline execution 77777777-aaaa-4bbb-8ccc-dddddddddddd",
    );
    expect(view.conclusion).toBe("cancelled");
    expect(view.output.title).toBe("Superseded by a newer pipeline execution");
    expect(view.output.summary).toContain(
      "⏭️ A newer pipeline execution (`77777777-aaaa-4bbb-8ccc-dddddddddddd`) replaced this one",
    );
  });

  it("says an approval closed without a decision when CodePipeline names no newer execution", () => {
    const view = closedBy(
      { kind: "superseded", at: "2026-11-30T09:15:00.000Z" },
      "CodePipeline reported ABANDONED: the pipeline execution was stopped or abandoned before a decision",
    );
    expect(view.conclusion).toBe("cancelled");
    expect(view.output.title).toBe("Closed without a decision");
    expect(view.output.summary).toMatch(/^⏭️ CodePipeline no longer waits for this approval/);
    expect(view.output.summary).not.toContain("Superseded");
    expect(view.actions).toEqual([]);
  });
});

describe("multi-line text", () => {
  const decidedBy = (reason: string) => ({
    approval: pendingApproval,
    record: {
      ...pending.record,
      resolution: {
        kind: "decided" as const,
        status: "Rejected" as const,
        deciders: ["alice"],
        channel: "pr_comments" as const,
        reason,
        at: "2026-11-28T12:00:00.000Z",
      },
      history: [
        {
          at: "2026-11-28T12:00:00.000Z",
          actor: "alice",
          channel: "pr_comments" as const,
          verdict: "Rejected" as const,
          result: "rejected" as const,
          detail: reason,
        },
      ],
    },
  });

  it.each([
    ["\\n", "the migration\nis not reversible\n| x | y |"],
    ["\\r\\n", "the migration\r\nis not reversible\r\n| x | y |"],
    ["a lone \\r", "the migration\ris not reversible\r| x | y |"],
  ])("keeps a reason split by %s inside its quote and its audit row", (_ending, reason) => {
    const view = renderCheckRun(decidedBy(reason));
    expect(view.output.summary).toContain(
      "> the migration\n> is not reversible\n> \\| x \\| y \\|",
    );
    expect(view.output.summary).not.toContain("\r");
    const row = view.output.text.split("\n").find((line) => line.includes("| @\u200dalice |"));
    expect(row).toBe(
      "| 2026-11-28 12:00 UTC | @\u200dalice | PR comment | reject | rejected | the migration is not reversible \\| x \\| y \\| |",
    );
  });

  it("keeps multi-line custom data inside the pipeline's note", () => {
    const approval = { ...pendingApproval, customData: "line one\rline two\r\n# not a heading" };
    const { summary } = renderCheckRun({ approval, record: newRecord(approval) }).output;
    expect(summary).toContain(
      "**Note from the pipeline**\n\n> line one\n> line two\n> \\# not a heading",
    );
    expect(summary).not.toContain("\r");
  });

  it("keeps a review link that is not a URL on its own line, as text", () => {
    const approval = { ...pendingApproval, externalEntityLink: "ticket 42\r| Stage | Prod |" };
    const { summary } = renderCheckRun({ approval, record: newRecord(approval) }).output;
    expect(summary).toContain("\n**Review link**: ticket 42 \\| Stage \\| Prod \\|\n");
  });

  it("quotes every line and keeps one-line text on one line, whatever the line endings", () => {
    expect(quoteBlock("a\r\nb\rc\nd")).toBe("> a\n> b\n> c\n> d");
    expect(quoteBlock("a\n\rb")).toBe("> a\n> \n> b");
    expect(escapeOneLine("a\r\nb\rc\nd")).toBe("a b c d");
    expect(codeSpan("ab`c\r\nd")).toBe("`abcd`");
  });
});

describe("summarizeDecision", () => {
  it("names the user, the channel and the reason", () => {
    expect(
      summarizeDecision({
        verdict: "Approved",
        deciders: ["alice"],
        channel: "pr_comments",
        reason: "looks good",
      }),
    ).toBe("Approved via GitHub by @alice (PR comment): looks good");
  });

  it("stays within AWS's 512-character limit", () => {
    const summary = summarizeDecision({
      verdict: "Rejected",
      deciders: ["bob"],
      channel: "buttons",
      reason: "x".repeat(2000),
    });
    expect(summary.length).toBe(awsSummaryLimit);
    expect(summary.endsWith("…")).toBe(true);
  });
});
