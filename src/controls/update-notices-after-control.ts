import type { Logger } from "probot";
import type { GitHubClient } from "../github/github-client.js";
import { editNotices } from "../notices/update-notices.js";
import type { ControlOutcome, ControlRequest } from "./control-types.js";

/**
 * After a hold is put on or lifted, the approval's PR notices say so (docs/controls.md). Only
 * notices already posted are edited. Never fails the hold: it already stands on the check run, so
 * a failure here is logged. Returns the outcome as is.
 */
export async function updateNoticesAfterControl(
  octokit: GitHubClient,
  request: ControlRequest,
  outcome: ControlOutcome,
  { log, appId }: { log: Logger; appId: number },
): Promise<ControlOutcome> {
  if (outcome.kind !== "held" && outcome.kind !== "unheld") return outcome;
  try {
    await editNotices(octokit, request.repo, request.checkRun, outcome.tracked, appId);
  } catch (error) {
    log.warn(
      { err: error, checkRunId: request.checkRun.id },
      "could not update the approval notice",
    );
  }
  return outcome;
}
