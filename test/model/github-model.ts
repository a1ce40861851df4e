/**
 * GitHub's state as far as the bridge uses it, in memory: check runs (PATCH is last-writer-wins,
 * annotations append and list in the order added, ids grow), issue and commit comments,
 * reactions, collaborators, one pull request per head commit and the policy file. The HTTP side
 * is github-routes.ts; the model checker reads this state directly to check its invariants.
 * https://docs.github.com/en/rest/checks/runs
 */
export interface ModelAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  title: string | null;
  message: string;
  raw_details: string | null;
}

export interface ModelCheckRun {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  details_url: string | null;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  actions: { label: string; description: string; identifier: string }[];
  annotations: ModelAnnotation[];
  /** The model clock when it was created. */
  createdAt: number;
  started_at: string;
  completed_at: string | null;
}

export interface ModelUser {
  id: number;
  login: string;
  type: "User" | "Bot";
}

export interface ModelComment {
  id: number;
  /** `pr-42` for a pull request's conversation, `commit-<sha>` for a commit's comments. */
  thread: string;
  body: string;
  user: ModelUser;
  /** The GitHub App whose installation token wrote it. */
  viaAppId: number | undefined;
  created_at: string;
  updated_at: string;
}

export interface ModelAccount {
  id: number;
  login: string;
  permission: "admin" | "write" | "read" | "none";
  /** Every login the account ever had: a renamed account is still one account. */
  logins: string[];
}

export interface ModelPullRequest {
  number: number;
  headSha: string;
}

export const modelRepo = { owner: "octo-org", repo: "service" } as const;
export const modelInstallationId = 777;
export const modelAppId = 4242;
export const appBot: ModelUser = {
  id: 9_000_001,
  login: "codepipeline-approvals[bot]",
  type: "Bot",
};

export class GitHubModel {
  checkRuns: ModelCheckRun[] = [];
  comments: ModelComment[] = [];
  reactions = new Set<string>();
  accounts: ModelAccount[] = [];
  pullRequests: ModelPullRequest[] = [];
  /** The YAML of `.github/codepipeline-approvals.yml`, or undefined for no file (404). */
  policyFile: string | undefined;
  private nextId = 10_000;

  constructor(private readonly clock: () => number) {}

  newId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  now(): string {
    return new Date(this.clock()).toISOString();
  }

  account(login: string): ModelAccount | undefined {
    return this.accounts.find((account) => account.login.toLowerCase() === login.toLowerCase());
  }

  /** The account that had this login at any time. */
  accountEver(login: string): ModelAccount | undefined {
    const wanted = login.toLowerCase();
    return this.accounts.find((account) => account.logins.some((l) => l.toLowerCase() === wanted));
  }

  rename(id: number, login: string): void {
    const account = this.accounts.find((candidate) => candidate.id === id);
    if (!account) return;
    account.login = login;
    account.logins.push(login);
  }

  addComment(thread: string, body: string, user: ModelUser, viaAppId?: number): ModelComment {
    const at = this.now();
    const comment: ModelComment = {
      id: this.newId(),
      thread,
      body,
      user,
      viaAppId,
      created_at: at,
      updated_at: at,
    };
    this.comments.push(comment);
    return comment;
  }

  editComment(id: number, body: string): ModelComment | undefined {
    const comment = this.comments.find((candidate) => candidate.id === id);
    if (!comment) return undefined;
    comment.body = body;
    comment.updated_at = this.now();
    return comment;
  }

  runsOn(sha: string): ModelCheckRun[] {
    return this.checkRuns.filter((run) => run.head_sha === sha);
  }

  pullsOf(sha: string): ModelPullRequest[] {
    return this.pullRequests.filter((pull) => pull.headSha === sha);
  }
}
