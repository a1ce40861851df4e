import type { Channel, PendingApproval } from "../approvals/approval.js";
import type { Resolution } from "../approvals/check-run-record.schema.js";
import type { CheckRunSnapshot, TrackedApproval } from "../approvals/check-run-record.js";
import type { Logger } from "probot";
import type { DecisionGuard } from "../approvals/decision-guard.js";
import type { Actor, Authorize } from "../approvals/decision-types.js";
import type { GitHubClient } from "../github/github-client.js";
import type { RepoRef } from "../github/github-client.js";
import type { HoldState } from "./hold-state.js";

/**
 * The approval controls' vocabulary (docs/controls.md): what a `/hold` or `/unhold` asks, what the
 * policy answers and what comes of it. Shared by the control path, the channels and the replies.
 */
export type Control = "hold" | "unhold";

/** A hold or unhold as a command asks it: addressed like `/approve`. */
export interface ControlAsk {
  control: Control;
  target?: string | undefined;
  reason?: string | undefined;
}

export interface ControlRequest {
  repo: RepoRef;
  checkRun: CheckRunSnapshot;
  actor: Actor;
  channel: Channel;
  control: Control;
  reason?: string | undefined;
}

export type HoldAuthorization = { kind: "allowed" } | { kind: "refused"; reason: string };

/** Whether a person may put an approval on hold: the policy's `hold_min_permission`. */
export type AuthorizeHold = (
  request: ControlRequest,
  approval: PendingApproval,
) => Promise<HoldAuthorization>;

export type ControlOutcome =
  | { kind: "held"; hold: Extract<HoldState, { kind: "held" }>; tracked: TrackedApproval }
  | { kind: "unheld"; was: Extract<HoldState, { kind: "held" }>; tracked: TrackedApproval }
  /** Nothing to change: a hold on a held approval, an unhold on one that is not held. */
  | { kind: "unchanged"; hold: HoldState; tracked: TrackedApproval }
  | { kind: "refused"; reason: string; tracked: TrackedApproval }
  | { kind: "closed"; resolution: Resolution; tracked: TrackedApproval }
  | { kind: "failed"; message: string; tracked: TrackedApproval }
  | { kind: "not-an-approval" };

export interface ControlDeps {
  octokit: GitHubClient;
  /** The decision path's policy: who may approve may also lift someone else's hold. */
  authorize: Authorize;
  authorizeHold: AuthorizeHold;
  /** Shared with the decision path, so a hold and a click on one approval take turns. */
  guard: DecisionGuard;
  log: Logger;
  now?: () => Date;
  newId?: () => string;
}
