import { z } from "zod";
import { accountIdSchema } from "../approvals/check-run-record.schema.js";

/** The role the bridge assumes in another account, and the external id that role's trust asks for. */
export interface AccountRole {
  roleArn: string;
  externalId?: string | undefined;
}

/**
 * Which AWS accounts the bridge answers approvals in, and with which credentials. `home` is the
 * account the bridge runs in: its own credentials, and the account of a raw-delivered notification
 * or of a check run written before accounts were recorded. Every other account needs a role.
 * docs/multi-account.md
 */
export interface AwsAccounts {
  home?: string | undefined;
  roles: ReadonlyMap<string, AccountRole>;
  /** Names people recognise ("staging"), shown next to the account id. */
  aliases: ReadonlyMap<string, string>;
}

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html: a role name is
// [\w+=,.@-]{1,64} after an optional path of printable ASCII.
const roleArnPattern =
  /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/(?:[\x21-\x7E]*\/)?[\w+=,.@-]{1,64}$/;
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId)
const externalIdPattern = /^[\w+=,.@:/-]{2,1224}$/;
const aliasPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;

/**
 * Entries are comma separated, but role paths and external ids may hold commas: an entry only
 * starts where a comma is followed by `<digits>=`. Any number of digits, so a mistyped account id
 * starts an entry of its own and is reported, instead of joining the entry before it.
 */
function splitEntries(value: string): string[] {
  return value
    .split(/,(?=\s*\d+\s*=)/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * `AWS_ACCOUNT_ROLES="111111111111=arn:aws:iam::111111111111:role/approvals-bridge;external-id=abc,..."`
 * Every problem is reported, each naming the entry it is about.
 */
const accountRolesSchema = z.string().transform((value, ctx) => {
  const roles = new Map<string, AccountRole>();
  for (const entry of splitEntries(value)) {
    const match = /^(\d{12})\s*=\s*([^;]+?)\s*(?:;\s*external-id=(.*))?$/.exec(entry);
    if (!match?.[1] || !match[2]) {
      ctx.addIssue({
        code: "custom",
        message: `"${redactExternalId(entry)}" is not <12-digit account id>=<role ARN>[;external-id=<id>]`,
      });
      continue;
    }
    const [, account, roleArn, externalId] = match;
    const arn = roleArnPattern.exec(roleArn);
    if (!arn) {
      ctx.addIssue({
        code: "custom",
        message: `${account}: "${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
      });
    } else if (arn[1] !== account) {
      ctx.addIssue({
        code: "custom",
        message: `${account}: the role ${roleArn} is in account ${arn[1]}; the bridge assumes a role in the approval's own account`,
      });
    }
    if (externalId !== undefined && !externalIdPattern.test(externalId)) {
      ctx.addIssue({
        code: "custom",
        message: `${account}: the external id must be 2-1224 characters from letters, digits and _+=,.@:/-`,
      });
    }
    if (roles.has(account)) {
      ctx.addIssue({ code: "custom", message: `${account} is listed twice` });
    }
    roles.set(account, { roleArn, ...(externalId !== undefined ? { externalId } : {}) });
  }
  return roles;
});

/**
 * Config errors are logged and shown at start: the external id stays out of them. It is not a
 * secret (docs/multi-account.md), but it is one more thing a confused deputy would need.
 */
function redactExternalId(entry: string): string {
  return entry.replace(/;\s*external-id=.*$/, ";external-id=<redacted>");
}

/** `AWS_ACCOUNT_ALIASES="111111111111=staging,222222222222=production"` */
const accountAliasesSchema = z.string().transform((value, ctx) => {
  const aliases = new Map<string, string>();
  for (const entry of splitEntries(value)) {
    const match = /^(\d{12})\s*=\s*(.+)$/.exec(entry);
    if (!match?.[1] || !match[2] || !aliasPattern.test(match[2])) {
      ctx.addIssue({
        code: "custom",
        message: `"${entry}" is not <12-digit account id>=<alias> (an alias is 1-50 letters, digits, ".", "_" or "-")`,
      });
      continue;
    }
    aliases.set(match[1], match[2]);
  }
  return aliases;
});

/**
 * The environment variables of several accounts; one block of config.ts parses them. Without any
 * of them the bridge works as before: every call with its own credentials.
 */
export const awsAccountsEnvSchema = z
  .object({
    AWS_HOME_ACCOUNT_ID: accountIdSchema.optional(),
    AWS_ACCOUNT_ROLES: accountRolesSchema.optional(),
    AWS_ACCOUNT_ALIASES: accountAliasesSchema.optional(),
  })
  .superRefine((env, ctx) => {
    const roles = env.AWS_ACCOUNT_ROLES;
    if (roles && roles.size > 0 && !env.AWS_HOME_ACCOUNT_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["AWS_HOME_ACCOUNT_ID"],
        message:
          "is required with AWS_ACCOUNT_ROLES: the bridge's own account, which keeps the bridge's own credentials (an approval from any account not listed is refused)",
      });
    }
    if (env.AWS_HOME_ACCOUNT_ID && roles?.has(env.AWS_HOME_ACCOUNT_ID)) {
      ctx.addIssue({
        code: "custom",
        path: ["AWS_ACCOUNT_ROLES"],
        message: `${env.AWS_HOME_ACCOUNT_ID} is AWS_HOME_ACCOUNT_ID: the bridge's own account uses its own credentials, remove it here`,
      });
    }
  })
  .transform((env): AwsAccounts => ({
    ...(env.AWS_HOME_ACCOUNT_ID ? { home: env.AWS_HOME_ACCOUNT_ID } : {}),
    roles: env.AWS_ACCOUNT_ROLES ?? new Map(),
    aliases: env.AWS_ACCOUNT_ALIASES ?? new Map(),
  }));
