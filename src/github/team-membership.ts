import { httpStatusOf, type GitHubClient } from "./github-client.js";

/**
 * Whether a person is an active member of a team. 404 means "not a member" (GitHub's answer for
 * non-members); a pending invitation is not membership. Any other failure throws, so the caller
 * refuses: it fails closed. Needs the organization permission `members: read`.
 * https://docs.github.com/en/rest/teams/members#get-team-membership-for-a-user
 */
export async function getTeamMembership(
  octokit: GitHubClient,
  team: { org: string; slug: string },
  username: string,
): Promise<"member" | "not-member"> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
      org: team.org,
      team_slug: team.slug,
      username,
    });
    return data.state === "active" ? "member" : "not-member";
  } catch (error) {
    if (httpStatusOf(error) === 404) return "not-member";
    throw error;
  }
}
