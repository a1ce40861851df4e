import { checkRunName } from "../approvals/approval.js";
import {
  embedRecord,
  encodeExternalId,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
import type { CheckRunView } from "./render-check-run.js";
import { safeLink } from "./escape-markdown.js";

/**
 * A check run closed as a duplicate: two deliveries (or replicas) published the same approval on
 * the same commit, and the other run, the one with the lowest id, is the live one. No buttons here;
 * the summary links to the live run, where the approval is decided.
 */
export function renderDuplicate(tracked: TrackedApproval): CheckRunView {
  const { approval, record } = tracked;
  const resolution = record.resolution;
  const live = resolution.kind === "superseded" ? resolution.duplicateOf : undefined;
  const link =
    (live && safeLink(`check run ${live.id}`, live.url)) ??
    (live ? `check run ${live.id}` : "another check run");
  return {
    name: checkRunName(approval),
    external_id: encodeExternalId(approval),
    status: "completed",
    conclusion: "neutral",
    output: {
      title: "Duplicate: decide on the live check run",
      summary: `**Duplicate**: this approval is shown by ${link} on the same commit, which has the buttons and the audit trail. Nothing is decided here.`,
      text: embedRecord(record),
    },
    actions: [],
  };
}
