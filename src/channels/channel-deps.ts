import type { Logger } from "probot";
import type { DecisionOutcome, DecisionRequest } from "../approvals/decision-types.js";
import type { GitHubClient } from "../github/github-client.js";

/** What every channel is handed: the app's identity and the one decision path. */
export interface ChannelDeps {
  appId: number;
  decide(octokit: GitHubClient, request: DecisionRequest, log: Logger): Promise<DecisionOutcome>;
}
