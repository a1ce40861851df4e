import type { ReviewsEnabled } from "../channels/pr-review.js";
import type { NotifyPullRequests } from "../notices/notify-pull-requests.js";
import { loadPolicy } from "./load-policy.js";
import { isChannelEnabled, shouldNotifyPullRequests } from "./policy-switches.js";
import type { PolicyLoader } from "./remember-policy-loads.js";

/**
 * Reviews decide only where the policy file turns them on. A policy that cannot be read keeps
 * them off: a review must never decide by accident (fail closed).
 */
export const reviewsEnabledByPolicy: ReviewsEnabled = async (octokit, repo) =>
  loadPolicy(octokit, repo).then(
    (load) => isChannelEnabled(load, "reviews"),
    () => false,
  );

/**
 * The PR notice follows `notify_pr` of the approval's rule; a policy that cannot be read keeps the
 * default (on). `load` lets one queue message share one read with the reminder's scheduling.
 */
export function notifyPullRequestsFrom(load: PolicyLoader): NotifyPullRequests {
  return async (octokit, repo, approval) =>
    load(octokit, repo).then(
      (policy) => shouldNotifyPullRequests(policy, approval),
      () => true,
    );
}

export const notifyPullRequestsByPolicy: NotifyPullRequests = notifyPullRequestsFrom(loadPolicy);
