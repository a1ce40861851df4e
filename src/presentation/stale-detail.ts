import { channelLabels } from "../approvals/approval.js";
import type { Resolution } from "../approvals/check-run-record.schema.js";

/** One line for the audit trail and for replies: why a decision could not be applied. */
export function staleDetail(resolution: Resolution): string {
  switch (resolution.kind) {
    case "decided":
      return `already ${resolution.status.toLowerCase()} by ${resolution.deciders.map((d) => `@${d}`).join(", ")} via ${channelLabels[resolution.channel]}`;
    case "decided-outside":
      return `already ${resolution.status.toLowerCase()} ${resolution.viaGitHub ? "via GitHub" : "outside GitHub"}`;
    case "expired":
      return "the approval expired";
    case "superseded":
      return resolution.byExecutionId
        ? "a newer pipeline execution superseded this approval"
        : "CodePipeline no longer waits for this approval";
    case "gone":
      return `the ${resolution.what} no longer exists`;
    case "pending":
      return "still pending";
  }
}
