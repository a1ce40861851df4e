import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { chooseTarget } from "../../src/channels/choose-target.js";
import { findApprovalsOnCommits } from "../../src/channels/find-approvals-on-commits.js";
import { parseCommand } from "../../src/channels/parse-command.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { publishApproval } from "../../src/intake/publish-approval.js";
import { findExecutionCheckRuns } from "../../src/lifecycle/find-execution-check-runs.js";
import { renderCommandReply } from "../../src/presentation/render-command-reply.js";
import { sha } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  githubApi,
  nockInstallationToken,
  nockRepoInstallation,
  repo,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { homeAccount, productionAccount, stagingAccount } from "./aws-api.js";

interface StoredRun extends JsonBody {
  id: number;
  name: string;
}

/**
 * The commit's check runs as GitHub keeps them: created runs are stored, and a listing with
 * `filter=latest` (GitHub's default) answers only the newest run of each name, `filter=all` every
 * run; both filtered by `check_name` and `app_id`.
 * https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference
 */
function nockCheckRunStore(stored: StoredRun[], { lists = 1, creates = 0 }) {
  const create = githubApi()
    .post(`${repoPath}/check-runs`)
    .times(creates)
    .reply(201, (_uri, body) => {
      const run: StoredRun = {
        ...(body as JsonBody),
        name: String((body as JsonBody).name),
        id: 9001 + stored.length,
        app: { id: appId, slug: "codepipeline-approvals" },
        pull_requests: [],
      };
      stored.push(run);
      return run;
    });
  const list = githubApi()
    .get(`${repoPath}/commits/${sha}/check-runs`)
    .query(true)
    .times(lists)
    .reply(200, (uri) => {
      const query = new URL(uri, "https://api.github.com").searchParams;
      const newest = new Map<string, StoredRun>();
      for (const run of stored) {
        const known = newest.get(run.name);
        if (!known || known.id < run.id) newest.set(run.name, run);
      }
      const checkName = query.get("check_name");
      const runs = query.get("filter") === "all" ? stored : [...newest.values()];
      const listed = runs.filter(
        (run) =>
          (checkName === null || run.name === checkName) &&
          (query.get("app_id") === null || query.get("app_id") === String(appId)),
      );
      return { total_count: listed.length, check_runs: listed };
    });
  return creates > 0 ? [create, list] : [list];
}

const inAccount = (account: string, accountAlias?: string): PendingApproval => ({
  ...pendingApproval,
  account,
  ...(accountAlias ? { accountAlias } : {}),
  executionId: `${account}-0000-4000-8000-000000000000`.slice(0, 36),
  token: `${account.slice(0, 8)}-0000-4000-8000-000000000000`,
});
const staging = inAccount(stagingAccount, "staging");
const production = inAccount(productionAccount);
const home = inAccount(homeAccount);

function setup() {
  const { log } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  return { github: createInstallationClients(probot), log, appId, home: homeAccount };
}

async function octokitFor(deps: ReturnType<typeof setup>) {
  const octokit = await deps.github.forRepository(repo);
  if (!octokit) throw new Error("not installed");
  return octokit;
}

const commit = { ...repo, sha };

describe("the same pipeline/stage/action in two AWS accounts on one commit", () => {
  it("are two check runs, the other account's named with its id; a redelivery of either creates none", async () => {
    const deps = setup();
    const stored: StoredRun[] = [];
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      ...nockCheckRunStore(stored, { lists: 7, creates: 3 }),
      ...[1, 2, 3, 4].map(() => nockPullRequestsForCommit(sha, [])),
    ];

    expect(await publishApproval(home, commit, deps)).toMatchObject({ kind: "created" });
    expect(await publishApproval(staging, commit, deps)).toMatchObject({ kind: "created" });
    expect(await publishApproval(production, commit, deps)).toMatchObject({ kind: "created" });
    expect(await publishApproval(staging, commit, deps)).toEqual({
      kind: "duplicate",
      checkRunId: 9002,
    });

    expectAllDone(scopes);
    // The home account's name is the one required checks were set up with before accounts.
    expect(stored.map((run) => run.name)).toEqual([
      "CodePipeline: my-service-pipeline/Approval/ManualApproval",
      `CodePipeline: my-service-pipeline/Approval/ManualApproval (${stagingAccount})`,
      `CodePipeline: my-service-pipeline/Approval/ManualApproval (${productionAccount})`,
    ]);
  });

  it("are both found by a command; a bare address is ambiguous, an account-qualified one decides one", async () => {
    const deps = setup();
    const stored: StoredRun[] = [];
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      ...nockCheckRunStore(stored, { lists: 5, creates: 2 }),
      ...[1, 2].map(() => nockPullRequestsForCommit(sha, [])),
    ];
    await publishApproval(staging, commit, deps);
    await publishApproval(production, commit, deps);

    const found = await findApprovalsOnCommits(await octokitFor(deps), repo, [sha], appId);

    expectAllDone(scopes);
    expect(found.pending.map((item) => item.tracked.approval.account)).toEqual([
      stagingAccount,
      productionAccount,
    ]);
    const target = (comment: string) => {
      const parsed = parseCommand(comment);
      return parsed.kind === "command" ? parsed.target : undefined;
    };
    expect(chooseTarget(found.pending).kind).toBe("ambiguous");
    expect(chooseTarget(found.pending, target("/approve my-service-pipeline/Approval"))).toEqual({
      kind: "ambiguous",
      candidates: found.pending,
    });
    const byAlias = chooseTarget(
      found.pending,
      target("/approve Staging:my-service-pipeline/Approval/ManualApproval"),
    );
    expect(byAlias.kind === "one" && byAlias.chosen.tracked.approval.account).toBe(stagingAccount);
    const byId = chooseTarget(
      found.pending,
      target(`/reject ${productionAccount}:my-service-pipeline/Approval not yet`),
    );
    expect(byId.kind === "one" && byId.chosen.tracked.approval.account).toBe(productionAccount);
    expect(
      chooseTarget(found.pending, target(`/approve ${homeAccount}:my-service-pipeline/`)),
    ).toMatchObject({ kind: "no-match" });
  });

  it("the reply to an ambiguous command names each with its account, so each listed command decides one", async () => {
    const deps = setup();
    const stored: StoredRun[] = [];
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      ...nockCheckRunStore(stored, { lists: 5, creates: 2 }),
      ...[1, 2].map(() => nockPullRequestsForCommit(sha, [])),
    ];
    await publishApproval(staging, commit, deps);
    await publishApproval(production, commit, deps);
    const found = await findApprovalsOnCommits(await octokitFor(deps), repo, [sha], appId);
    expectAllDone(scopes);

    const reply = renderCommandReply(
      { kind: "ambiguous", ask: { verdict: "Approved" }, candidates: found.pending },
      { place: "pull request", source: "command" },
    );

    expect(reply).toContain("`/approve staging:my-service-pipeline/Approval/ManualApproval`");
    expect(reply).toContain(
      `\`/approve ${productionAccount}:my-service-pipeline/Approval/ManualApproval\``,
    );
  });

  it("a pipeline event looks up the check run by the name its account gives it", async () => {
    const deps = setup();
    const lookUp = (name: string) =>
      githubApi()
        .get(`${repoPath}/commits/${sha}/check-runs`)
        .query({ check_name: name, filter: "all", per_page: "100", app_id: String(appId) })
        .reply(200, { total_count: 0, check_runs: [] });
    const plain = "CodePipeline: my-service-pipeline/Approval/ManualApproval";
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      lookUp(`${plain} (${stagingAccount})`),
      lookUp(plain),
      lookUp(plain),
    ];
    const octokit = await octokitFor(deps);

    for (const approval of [staging, home, pendingApproval]) {
      await findExecutionCheckRuns(
        octokit,
        repo,
        sha,
        approval,
        approval.executionId,
        appId,
        homeAccount,
      );
    }

    expectAllDone(scopes);
  });
});
