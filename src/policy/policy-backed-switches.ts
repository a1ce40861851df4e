import type { ReviewsEnabled } from "../channels/pr-review.js";
import type { NotifyPullRequests } from "../notices/notify-pull-requests.js";
import { loadPolicy } from "./load-policy.js";
import { isChannelEnabled, shouldNotifyPullRequests } from "./policy-switches.js";

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
 * default (on).
 */
export const notifyPullRequestsByPolicy: NotifyPullRequests = async (octokit, repo, approval) =>
  loadPolicy(octokit, repo).then(
    (load) => shouldNotifyPullRequests(load, approval),
    () => true,
  );
