import type { ApplicationFunction, Probot } from "probot";
import { decideApproval } from "./approvals/decide-approval.js";
import { createDecisionGuard } from "./approvals/decision-guard.js";
import type { ChannelDeps } from "./channels/channel-deps.js";
import { handleDecisionButton } from "./channels/check-run-button.js";
import type { PipelineGateway } from "./codepipeline/pipeline-gateway.js";
import { createAuthorizer } from "./policy/create-authorizer.js";

export interface AppDeps {
  appId: number;
  pipelines: PipelineGateway;
  now?: () => Date;
}

/** The Probot app: each channel's handler, all wired to the same decision path. */
export function createApp({ appId, pipelines, now }: AppDeps): ApplicationFunction {
  return (app: Probot) => {
    const guard = createDecisionGuard();
    const channel: ChannelDeps = {
      appId,
      decide: (octokit, request, log) =>
        decideApproval(request, {
          octokit,
          pipelines,
          authorize: createAuthorizer(octokit),
          guard,
          log,
          ...(now ? { now } : {}),
        }),
    };
    app.on("check_run.requested_action", handleDecisionButton(channel));
  };
}
