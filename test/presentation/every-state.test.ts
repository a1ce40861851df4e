import { describe, expect, it } from "vitest";
import type { TrackedApproval } from "../../src/approvals/check-run-record.js";
import { voteAnnotation } from "../../src/approvals/vote-log.js";
import { renderCheckRun } from "../../src/presentation/render-check-run.js";
import { renderCommandReply } from "../../src/presentation/render-command-reply.js";
import { renderNotice } from "../../src/presentation/render-notice.js";
import {
  checkRun,
  checkRunStates,
  onCommit,
  quorumOfTwo,
  refusals,
  rollbackChanges,
} from "./review-states.js";

/**
 * Review by looking: every state a reviewer meets is rendered into a markdown file next to this
 * test (snapshots/*.md), so a change of wording shows in the diff, and `npm run preview` shows
 * them all as GitHub would. Update with `npx vitest run test/presentation -u` and read the diff.
 */
const file = (name: string) => `./snapshots/${name}.md`;

/** A check run as a document: its title, conclusion and buttons, summary, then its text. */
function checkRunDocument(state: TrackedApproval): string {
  const view = renderCheckRun(state);
  const buttons = view.actions.map((action) => action.label).join(", ") || "none";
  const text = view.output.text.replace(/\n*<!-- codepipeline-approvals:record [\s\S]*-->$/, "");
  return [
    `## ${view.output.title}`,
    "",
    `_Conclusion \`${view.conclusion}\` · buttons: ${buttons}_`,
    "",
    view.output.summary,
    "",
    "---",
    "",
    text,
    "",
  ].join("\n");
}

describe("what a reviewer sees on the check run", () => {
  it.each(Object.keys(checkRunStates))("%s", async (name) => {
    await expect(checkRunDocument(checkRunStates[name]!)).toMatchFileSnapshot(file(name));
  });

  it("keeps the hidden record out of sight and whole in every state", () => {
    for (const state of Object.values(checkRunStates)) {
      const { text } = renderCheckRun(state).output;
      expect(text).toMatch(/<!-- codepipeline-approvals:record \{[^\n]*\} -->$/);
    }
  });
});

describe("what a reviewer sees in the audit log's annotations", () => {
  it("words each kind of entry as a sentence", async () => {
    const entries = Object.values(checkRunStates).flatMap((state) => state.record.history);
    const lines = entries.map((entry) => {
      const annotation = voteAnnotation(entry);
      return `- **${annotation.title}** (${annotation.annotation_level}): ${annotation.message}`;
    });
    await expect(["## Annotations", "", ...lines, ""].join("\n")).toMatchFileSnapshot(
      file("annotations"),
    );
  });
});

describe("what a pull request's notice says", () => {
  const pending = checkRunStates["check-run-pending-quorum"]!;
  it.each([
    ["notice-open", pending],
    [
      "notice-open-rollback",
      { approval: pending.approval, record: { ...pending.record, changes: rollbackChanges } },
    ],
    ["notice-on-hold", checkRunStates["check-run-on-hold"]!],
    ["notice-approved", checkRunStates["check-run-approved"]!],
    ["notice-approved-break-glass", checkRunStates["check-run-approved-break-glass"]!],
    ["notice-approved-by-quorum", checkRunStates["check-run-approved-by-quorum"]!],
    ["notice-rejected", checkRunStates["check-run-rejected-with-reason"]!],
    ["notice-expired", checkRunStates["check-run-expired"]!],
    ["notice-decided-in-console", checkRunStates["check-run-decided-in-console"]!],
  ])("%s", async (name, state) => {
    await expect(`${renderNotice(state, checkRun)}\n`).toMatchFileSnapshot(file(name));
  });
});

describe("what a command's reply says", () => {
  const pending = onCommit(checkRunStates["check-run-pending-quorum"]!);
  const other = onCommit(
    {
      approval: { ...pending.tracked.approval, stageName: "Prod", actionName: "Approve" },
      record: pending.tracked.record,
    },
    { id: 9002, html_url: "https://github.com/octo-org/service/runs/9002" },
  );
  const asComment = { place: "pull request", source: "command" } as const;
  const reply = (name: string, markdown: string) =>
    expect(`${markdown}\n`).toMatchFileSnapshot(file(name));

  it.each(Object.entries(refusals()))("%s", async (name, reason) => {
    await reply(
      name,
      renderCommandReply(
        {
          kind: "decision",
          approval: pending,
          outcome: { kind: "refused", reason, tracked: pending.tracked },
        },
        asComment,
      ),
    );
  });

  it("reply-ambiguous-target", async () => {
    await reply(
      "reply-ambiguous-target",
      renderCommandReply(
        {
          kind: "ambiguous",
          ask: { verdict: "Rejected", reason: "not now" },
          candidates: [pending, other],
        },
        asComment,
      ),
    );
  });

  it("reply-no-match", async () => {
    await reply(
      "reply-no-match",
      renderCommandReply(
        {
          kind: "no-match",
          ask: { verdict: "Approved", target: "Staging" },
          target: "Staging",
          candidates: [pending, other],
        },
        asComment,
      ),
    );
  });

  it("reply-counted", async () => {
    await reply(
      "reply-counted",
      renderCommandReply(
        {
          kind: "decision",
          approval: pending,
          outcome: {
            kind: "counted",
            approvals: ["alice"],
            required: quorumOfTwo.required,
            tracked: checkRunStates["check-run-counting"]!,
          },
        },
        asComment,
      ),
    );
  });

  it("reply-decided-by-quorum", async () => {
    const decided = checkRunStates["check-run-approved-by-quorum"]!;
    await reply(
      "reply-decided-by-quorum",
      renderCommandReply(
        {
          kind: "decision",
          approval: pending,
          outcome: {
            kind: "decided",
            verdict: "Approved",
            deciders: ["alice", "bob"],
            tracked: decided,
          },
        },
        asComment,
      ),
    );
  });

  it("reply-already-closed", async () => {
    const expired = checkRunStates["check-run-expired"]!;
    await reply(
      "reply-already-closed",
      renderCommandReply(
        {
          kind: "decision",
          approval: pending,
          outcome: { kind: "closed", resolution: expired.record.resolution, tracked: expired },
        },
        asComment,
      ),
    );
  });

  it("reply-nothing-pending", async () => {
    await reply(
      "reply-nothing-pending",
      renderCommandReply(
        {
          kind: "nothing-pending",
          lastClosed: onCommit(checkRunStates["check-run-approved-by-quorum"]!),
        },
        asComment,
      ),
    );
  });
});
