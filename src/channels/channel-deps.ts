import type { Logger } from "probot";
import type { DecisionOutcome, DecisionRequest } from "../approvals/decision-types.js";
import type { GitHubClient } from "../github/github-client.js";
import type { ControlOutcome, ControlRequest } from "../controls/control-types.js";

/** What every channel is handed: the app's identity, the one decision path and the controls. */
export interface ChannelDeps {
  appId: number;
  decide(octokit: GitHubClient, request: DecisionRequest, log: Logger): Promise<DecisionOutcome>;
  /** `/hold` and `/unhold`: src/controls, docs/controls.md. */
  control(octokit: GitHubClient, request: ControlRequest, log: Logger): Promise<ControlOutcome>;
}
