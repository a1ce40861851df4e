import type { Context } from "probot";
import type { Verdict } from "../approvals/approval.js";
import type { ChannelDeps } from "./channel-deps.js";
import { isBotAccount } from "../github/is-bot-account.js";

const verdictsByButton: Record<string, Verdict> = { approve: "Approved", reject: "Rejected" };

/** The Approve / Request changes buttons of an approval check run. */
export function handleDecisionButton(deps: ChannelDeps) {
  return async (context: Context<"check_run.requested_action">): Promise<void> => {
    const {
      check_run: checkRun,
      requested_action: requested,
      sender,
      repository,
    } = context.payload;
    // GitHub sends requested_action only to the app that made the check run; check it anyway.
    if (checkRun.app?.id !== deps.appId) return;
    const verdict = verdictsByButton[requested?.identifier ?? ""];
    if (!verdict) {
      context.log.warn({ identifier: requested?.identifier }, "unknown check run action ignored");
      return;
    }
    const outcome = await deps.decide(
      context.octokit,
      {
        repo: { owner: repository.owner.login, repo: repository.name },
        checkRun,
        actor: { login: sender.login, id: sender.id, isBot: isBotAccount(sender) },
        verdict,
        channel: "buttons",
      },
      context.log,
    );
    if (outcome.kind === "not-an-approval") {
      context.log.warn(
        { checkRunId: checkRun.id },
        "button clicked on a check run that carries no approval",
      );
    }
  };
}
