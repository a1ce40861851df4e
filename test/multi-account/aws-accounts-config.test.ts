import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("config: several AWS accounts", () => {
  it("reads roles (with and without an external id) and aliases", () => {
    const config = loadConfig({
      AWS_HOME_ACCOUNT_ID: "111111111111",
      AWS_ACCOUNT_ROLES:
        "222222222222=arn:aws:iam::222222222222:role/approvals-bridge;external-id=ext,with=comma, 333333333333 = arn:aws:iam::333333333333:role/team/path/approvals",
      AWS_ACCOUNT_ALIASES: "222222222222=staging,333333333333=production,111111111111=tools",
    });
    expect(config.awsAccounts).toEqual({
      home: "111111111111",
      roles: new Map([
        [
          "222222222222",
          {
            roleArn: "arn:aws:iam::222222222222:role/approvals-bridge",
            externalId: "ext,with=comma",
          },
        ],
        ["333333333333", { roleArn: "arn:aws:iam::333333333333:role/team/path/approvals" }],
      ]),
      aliases: new Map([
        ["222222222222", "staging"],
        ["333333333333", "production"],
        ["111111111111", "tools"],
      ]),
    });
  });

  it("without any of it, the bridge is single-account as before", () => {
    expect(loadConfig({}).awsAccounts).toEqual({ roles: new Map(), aliases: new Map() });
  });

  it("lists every problem at once, each naming its variable and entry", () => {
    const problems = problemsOf({
      AWS_ACCOUNT_ROLES: [
        "22222222222=arn:aws:iam::22222222222:role/short-id",
        "333333333333=arn:aws:iam::444444444444:role/other-account",
        "555555555555=arn:aws:s3:::bucket",
        "666666666666=arn:aws:iam::666666666666:role/x;external-id=a",
        "777777777777=arn:aws:iam::777777777777:role/x",
        "777777777777=arn:aws:iam::777777777777:role/y",
      ].join(","),
      AWS_ACCOUNT_ALIASES: "888888888888=<b>staging</b>",
    });
    expect(problems).toEqual([
      'AWS_ACCOUNT_ROLES: "22222222222=arn:aws:iam::22222222222:role/short-id" is not <12-digit account id>=<role ARN>[;external-id=<id>]',
      "AWS_ACCOUNT_ROLES: 333333333333: the role arn:aws:iam::444444444444:role/other-account is in account 444444444444; the bridge assumes a role in the approval's own account",
      'AWS_ACCOUNT_ROLES: 555555555555: "arn:aws:s3:::bucket" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
      "AWS_ACCOUNT_ROLES: 666666666666: the external id must be 2-1224 characters from letters, digits and _+=,.@:/-",
      "AWS_ACCOUNT_ROLES: 777777777777 is listed twice",
      'AWS_ACCOUNT_ALIASES: "888888888888=<b>staging</b>" is not <12-digit account id>=<alias> (an alias is 1-50 letters, digits, ".", "_" or "-")',
    ]);
  });

  it("reports a mistyped account id after an entry with an external id, never merging the two", () => {
    const problems = problemsOf({
      AWS_HOME_ACCOUNT_ID: "111111111111",
      AWS_ACCOUNT_ROLES: [
        "222222222222=arn:aws:iam::222222222222:role/x;external-id=s3cr3t-value",
        "3333333333333=arn:aws:iam::333333333333:role/y;external-id=other-s3cr3t",
      ].join(","),
    });
    expect(problems).toEqual([
      'AWS_ACCOUNT_ROLES: "3333333333333=arn:aws:iam::333333333333:role/y;external-id=<redacted>" is not <12-digit account id>=<role ARN>[;external-id=<id>]',
    ]);
    expect(problems.join("\n")).not.toContain("s3cr3t");
  });

  it("asks for the bridge's own account once roles are set, and refuses a role for it", () => {
    expect(
      problemsOf({ AWS_ACCOUNT_ROLES: "222222222222=arn:aws:iam::222222222222:role/x" }),
    ).toEqual([
      "AWS_HOME_ACCOUNT_ID: is required with AWS_ACCOUNT_ROLES: the bridge's own account, which keeps the bridge's own credentials (an approval from any account not listed is refused)",
    ]);
    expect(
      problemsOf({
        AWS_HOME_ACCOUNT_ID: "222222222222",
        AWS_ACCOUNT_ROLES: "222222222222=arn:aws:iam::222222222222:role/x",
      }),
    ).toEqual([
      "AWS_ACCOUNT_ROLES: 222222222222 is AWS_HOME_ACCOUNT_ID: the bridge's own account uses its own credentials, remove it here",
    ]);
    expect(problemsOf({ AWS_HOME_ACCOUNT_ID: "main" })).toEqual([
      "AWS_HOME_ACCOUNT_ID: must be a 12-digit AWS account id",
    ]);
  });
});
