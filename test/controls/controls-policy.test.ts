import { describe, expect, it } from "vitest";
import { controlsForApproval } from "../../src/controls/controls-for-approval.js";
import { parsePolicy, type Policy } from "../../src/policy/parse-policy.js";
import { commitComment } from "../fixtures/comments.js";
import { buttonClick, pendingApproval } from "../fixtures/github.js";
import { nockPermission, nockUpdateCheckRun, type JsonBody } from "../helpers/github-api.js";
import { fakeAnnotationLog, nockPolicyFile } from "../helpers/github-policy-api.js";
import { receive } from "../helpers/probot.js";
import { expectAllDone, nockCommitCommand, createSent } from "../channels/command-scenarios.js";
import { appendedEntries, checkRunAfter, replica, shown } from "./control-scenarios.js";

function valid(raw: unknown): Policy {
  const load = parsePolicy(raw);
  if (load.kind !== "valid") throw new Error(load.problems.join("; "));
  return load.policy;
}

describe("the policy's control keys", () => {
  it("default to holds from triage up and no break-glass", () => {
    expect(controlsForApproval(valid({}), pendingApproval)).toEqual({
      holdMinPermission: "triage",
      breakGlass: { users: [], teams: [] },
    });
  });

  it("are layered key by key: the first matching rule over the defaults", () => {
    const policy = valid({
      defaults: { hold_min_permission: "write", break_glass: ["@alice", "octo-org/OnCall"] },
      rules: [{ match: "my-service-pipeline/*/*", hold_min_permission: "read" }],
    });
    expect(controlsForApproval(policy, pendingApproval)).toEqual({
      holdMinPermission: "read",
      breakGlass: { users: ["alice"], teams: [{ org: "octo-org", slug: "oncall" }] },
    });
    expect(
      controlsForApproval(policy, { ...pendingApproval, pipelineName: "other" }).holdMinPermission,
    ).toBe("write");
  });

  it("reject invalid values with zod's path and message", () => {
    expect(parsePolicy({ defaults: { hold_min_permission: "owner" } })).toMatchObject({
      kind: "invalid",
      problems: [expect.stringMatching(/^defaults\.hold_min_permission: /)],
    });
    expect(
      parsePolicy({ rules: [{ match: "a/b/c", break_glass: ["not a login!"] }] }),
    ).toMatchObject({
      kind: "invalid",
      problems: [expect.stringMatching(/^rules\.0\.break_glass\.0: expected a GitHub login/)],
    });
    expect(parsePolicy({ defaults: { break_glass: "alice" } })).toMatchObject({ kind: "invalid" });
  });

  it("fail closed: with an invalid control key, an approval and a hold are both refused, quoting it", async () => {
    const bad = "defaults:\n  hold_min_permission: owner\n";
    const { probot } = replica();
    const updates: JsonBody[] = [];
    const { checkRun } = checkRunAfter([]);
    const clickScopes = [
      nockPolicyFile(bad),
      nockPermission("alice", "admin"),
      nockUpdateCheckRun(9001, updates),
    ];
    await receive(probot, "check_run", buttonClick({ login: "alice", checkRun }));
    expectAllDone(clickScopes);
    expect(appendedEntries(updates[0])[0]).toMatchObject({
      result: "refused",
      detail: expect.stringContaining("the policy file is invalid: defaults.hold_min_permission"),
    });

    // The hold, on a commit comment: the same problem, in the reply.
    const sent = createSent();
    const holdScopes = [
      // The installation token is cached since the click: its interceptor stays unused.
      ...nockCommitCommand(sent, { checkRuns: [checkRun] }).slice(1),
      nockPolicyFile(bad),
      nockPermission("alice", "admin"),
    ];
    const log = fakeAnnotationLog(9001);
    await receive(probot, "commit_comment", commitComment({ login: "alice", body: "/hold" }));
    expectAllDone(holdScopes);
    expect(String(sent.replies[0]?.body)).toContain(
      shown("the policy file is invalid: defaults.hold_min_permission"),
    );
    expect(appendedEntries(log.bodies[0])[0]).toMatchObject({ result: "refused" });
  });
});
