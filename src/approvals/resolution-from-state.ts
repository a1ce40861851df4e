import type { ApprovalState } from "../codepipeline/pipeline-gateway.js";
import { isGitHubSummary } from "../presentation/approval-summary.js";
import type { Resolution } from "./check-run-record.schema.js";

/** What a check run should say, given what CodePipeline says about its approval now. */
export function resolutionFromState(state: ApprovalState): Resolution {
  switch (state.kind) {
    case "pending":
      return { kind: "pending" };
    case "approved":
    case "rejected":
      return {
        kind: "decided-outside",
        status: state.kind === "approved" ? "Approved" : "Rejected",
        viaGitHub: isGitHubSummary(state.summary),
        ...(state.by ? { by: state.by } : {}),
        ...(state.summary ? { summary: state.summary } : {}),
        ...(state.at ? { at: state.at } : {}),
      };
    case "expired":
      return { kind: "expired", ...(state.at ? { at: state.at } : {}) };
    case "superseded":
      return { kind: "superseded" };
    case "gone":
      return { kind: "gone", what: state.what };
  }
}
