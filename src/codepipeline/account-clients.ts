import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsAccounts } from "./aws-accounts.schema.js";

/** Where a pipeline lives. No account: the bridge's own (a record from before accounts were kept). */
export interface PipelinePlace {
  account?: string | undefined;
  region: string;
}

/** Credentials of an assumed role, refreshed by the client that holds them. */
export type RoleCredentials = ReturnType<typeof fromTemporaryCredentials>;

/** Builds one region's client; `credentials` undefined means the bridge's own (the SDK's chain). */
export type CreateRegionalClient = (
  region: string,
  credentials: RoleCredentials | undefined,
) => CodePipelineClient;

/** CloudTrail in the other account shows the calls under this session name. */
export const roleSessionName = "codepipeline-approvals";

/**
 * An approval from an account the bridge has no role for. Never guessed: calling with the bridge's
 * own credentials would read or answer a pipeline of the same name in the wrong account.
 */
export class UnmappedAccountError extends Error {
  constructor(
    readonly account: string,
    home: string | undefined,
  ) {
    // Short enough to stay whole in the queue's log line (classifyFailure keeps 200 characters).
    super(
      `AWS account ${account} has no role in AWS_ACCOUNT_ROLES${home ? ` and is not the bridge's own (${home})` : ""}: its approvals are not read or answered (docs/multi-account.md)`,
    );
    this.name = "UnmappedAccountError";
  }
}

/**
 * One CodePipeline client per account and region, made on first use and kept. In another account
 * the client's credentials come from STS AssumeRole through the SDK's own provider: the client
 * memoizes what it returns and assumes the role again only when the credentials are within five
 * minutes of expiring (@smithy/core memoizeIdentityProvider), so calls never each assume the role.
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-credential-providers/#fromtemporarycredentials
 */
export function createAccountClients(accounts: AwsAccounts, createClient: CreateRegionalClient) {
  // Configured with neither a home account nor roles, the bridge is single-account as it always
  // was: whatever account a message names, its own credentials are the only ones it has.
  const singleAccount = accounts.home === undefined && accounts.roles.size === 0;
  /** The other account a call goes to, or undefined for the bridge's own. */
  const otherAccount = (account: string | undefined) =>
    account === undefined || account === accounts.home || singleAccount ? undefined : account;
  /** Places served by the same client (and so the same cached definitions) share a key. */
  const keyOf = (place: PipelinePlace) => `${otherAccount(place.account) ?? "own"}/${place.region}`;

  const clients = new Map<string, CodePipelineClient>();
  const clientFor = (place: PipelinePlace): CodePipelineClient => {
    const key = keyOf(place);
    const known = clients.get(key);
    if (known) return known;
    const account = otherAccount(place.account);
    const client = createClient(
      place.region,
      account === undefined ? undefined : roleCredentials(accounts, account, place.region),
    );
    clients.set(key, client);
    return client;
  };
  return { clientFor, keyOf };
}

function roleCredentials(accounts: AwsAccounts, account: string, region: string): RoleCredentials {
  const role = accounts.roles.get(account);
  if (!role) throw new UnmappedAccountError(account, accounts.home);
  return fromTemporaryCredentials({
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: roleSessionName,
      ...(role.externalId ? { ExternalId: role.externalId } : {}),
    },
    // The regional STS endpoint of the approval's region, as AWS recommends: no dependency on
    // us-east-1, and the session token is valid in every region enabled for the account.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html
    clientConfig: { region },
    // No logger here on purpose: the STS client takes the logger of the CodePipeline client that
    // asks for credentials (fromTemporaryCredentials: `options.logger ?? callerClientConfig.logger`),
    // the structured one composeBridge gives it (create-codepipeline-client.ts).
  });
}
