import { describe, expect, it } from "vitest";
import { getChangeAuthors } from "../../src/github/change-authors.js";
import { getTeamMembership } from "../../src/github/team-membership.js";
import { githubApi, repo } from "../helpers/github-api.js";
import { nockChangeAuthors, nockTeamMembership } from "../helpers/github-policy-api.js";
import { TestOctokit } from "../helpers/probot.js";

const octokit = () => new TestOctokit({ auth: "ghs_test" });
const team = { org: "octo-org", slug: "release" };

describe("getTeamMembership", () => {
  it.each([
    ["active", "member"],
    ["pending", "not-member"],
    [404, "not-member"],
  ] as const)("reads %s as %s", async (answer, expected) => {
    const scope = nockTeamMembership("octo-org/release", "bob", answer);
    expect(await getTeamMembership(octokit(), team, "bob")).toBe(expected);
    expect(scope.isDone()).toBe(true);
  });

  it("throws on any other failure, so the decision is refused", async () => {
    nockTeamMembership("octo-org/release", "bob", 500);
    await expect(getTeamMembership(octokit(), team, "bob")).rejects.toMatchObject({ status: 500 });
  });
});

describe("getChangeAuthors", () => {
  it("names every kind of author, in one query", async () => {
    const scope = nockChangeAuthors({
      authors: ["ann", "cory", null],
      committer: "carl",
      pulls: [
        { number: 12, author: "paula", mergedBy: "max" },
        { number: 15, author: "olga", mergedBy: null },
      ],
    });
    expect(await getChangeAuthors(octokit(), repo, "abc123")).toEqual([
      { login: "ann", as: "commit author" },
      { login: "cory", as: "commit co-author" },
      { login: null, as: "commit co-author" },
      { login: "carl", as: "committer" },
      { login: "paula", as: "author of pull request #12" },
      { login: "max", as: "merged pull request #12" },
      { login: "olga", as: "author of pull request #15" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("throws when the commit does not exist", async () => {
    githubApi()
      .post("/graphql")
      .reply(200, { data: { repository: { object: null } } });
    await expect(getChangeAuthors(octokit(), repo, "abc123")).rejects.toThrow(
      "commit abc123 was not found in octo-org/service",
    );
  });

  it("throws on an answer it does not understand", async () => {
    githubApi()
      .post("/graphql")
      .reply(200, { data: { repository: { object: { authors: "?" } } } });
    await expect(getChangeAuthors(octokit(), repo, "abc123")).rejects.toThrow(
      "GitHub's answer about the commit's authors was not understood",
    );
  });
});
