import type { Logger } from "probot";
import type { DecisionOutcome, DecisionRequest } from "../approvals/decision-types.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { ControlOutcome, ControlRequest } from "../controls/control-types.js";

/** What every channel is handed: the app's identity, the one decision path and the controls. */
export interface ChannelDeps {
  appId: number;
  decide(octokit: GitHubClient, request: DecisionRequest, log: Logger): Promise<DecisionOutcome>;
  /** `/hold` and `/unhold`: src/controls, docs/controls.md. */
  control(octokit: GitHubClient, request: ControlRequest, log: Logger): Promise<ControlOutcome>;
  /**
   * True for an account refused as an outsider and past its ration (refusal-budget.ts): its
   * commands get no "seen" reaction either, so a flood costs no writes.
   */
  rationed?(repo: RepoRef, actorId: number): boolean;
}
