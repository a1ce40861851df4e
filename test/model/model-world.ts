import type fc from "fast-check";
import { snsEnvelope, approvalNotification } from "../fixtures/codepipeline.js";
import { CodePipelineModel, type PipelineEvent } from "./codepipeline-model.js";
import { GitHubModel, modelAppId } from "./github-model.js";
import { routeGitHub, type Reply } from "./github-routes.js";
import { createReplica, type Replica } from "./model-replica.js";

/** Lets every started piece of work reach its next scheduled step (nothing here awaits real I/O). */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export const startTime = Date.parse("2026-12-01T10:00:00Z");
/** The model clock moves this much at every scheduled step: a GitHub round trip, roughly. */
export const stepMs = 250;
export const shas = [
  "6dcb09b5b57875f334f61aebed695e2e4193db5e",
  "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
];

export interface QueuedMessage {
  id: string;
  body: string;
  receives: number;
  deleted: boolean;
  /** Replicas working on it now: it is invisible to others until they finish or crash. */
  inHand: Set<Replica>;
}

/** A decision someone asked for, as delivered to a replica: what the invariants judge votes by. */
export interface Vote {
  accountId: number;
  login: string;
  verdict: "Approved" | "Rejected";
  /** A click names its check run; a comment names nothing. */
  checkRunId?: number | undefined;
  commentId?: number | undefined;
  /** When the click or comment was made (model clock). */
  writtenAt: number;
  deliveredAt: number;
  /** The pull request's head when the comment was written. */
  headSha: string;
}

/**
 * `acceptTwice`: CodePipeline takes a second answer for a token. `skipPendingCheck`: the bridge
 * publishes a notification without asking CodePipeline whether its token still waits.
 * `skipStaleRecheck`: a notification whose token no longer waits is acknowledged without looking
 * at the check runs it may have left pending (recheck-stale-notification.ts undone).
 */
export interface BrokenVariant {
  acceptTwice?: boolean;
  skipPendingCheck?: boolean;
  skipStaleRecheck?: boolean;
}

export interface WorldOptions {
  scheduler: fc.Scheduler;
  replicas: number;
  /** How many crashes a run may have: each puts a fresh replica in the dead one's place. */
  spares: number;
  requiredApprovals: 1 | 2;
  /** Moves the (faked) Date forward: the model clock every replica and model reads. */
  advanceClock: (ms: number) => void;
  /** Deliberately broken variants, to show the checker catches them. */
  variant?: BrokenVariant | undefined;
}

/**
 * Everything one interleaving runs against: the GitHub and CodePipeline models, the SQS queue,
 * the replicas, and every request any replica makes, each of which waits for its own scheduled
 * step (so fast-check's scheduler decides the order of everything that reaches GitHub or AWS).
 */
export class World {
  readonly github: GitHubModel;
  readonly pipeline: CodePipelineModel;
  readonly queue: QueuedMessage[] = [];
  readonly replicas: Replica[] = [];
  private crashes = 0;
  readonly votes: Vote[] = [];
  /** Webhooks delivered so far, for replays. */
  readonly webhooks: { name: string; payload: Record<string, unknown>; vote?: Vote | undefined }[] =
    [];
  readonly trace: string[] = [];
  readonly unknownRoutes: string[] = [];
  readonly refusedWrites: string[] = [];
  readonly tasks = new Map<Promise<unknown>, Replica>();
  readonly requiredApprovals: 1 | 2;
  private readonly faults = new Map<Replica, "before" | "after">();
  private messages = 0;

  private constructor(private readonly options: WorldOptions) {
    this.requiredApprovals = options.requiredApprovals;
    this.github = new GitHubModel(() => Date.now());
    this.pipeline = new CodePipelineModel({
      clock: () => Date.now(),
      onEvent: (event) => this.enqueue(event),
      acceptTwice: options.variant?.acceptTwice ?? false,
    });
  }

  static async create(options: WorldOptions): Promise<World> {
    const world = new World(options);
    world.setUp();
    for (let i = 0; i < options.replicas; i++) {
      world.replicas.push(await world.newReplica(`r${i + 1}`, i));
    }
    return world;
  }

  private setUp() {
    const github = this.github;
    github.accounts.push(
      { id: 101, login: "alice", permission: "write", logins: ["alice"] },
      { id: 102, login: "bob", permission: "write", logins: ["bob"] },
      { id: 103, login: "carol", permission: "admin", logins: ["carol"] },
      { id: 104, login: "mallory", permission: "read", logins: ["mallory"] },
    );
    github.pullRequests.push({ number: 42, headSha: shas[0]! });
    github.policyFile =
      this.requiredApprovals === 1
        ? undefined
        : `defaults:\n  required_approvals: ${this.requiredApprovals}\n`;
    this.startExecution(shas[0]!);
  }

  /** A new pipeline execution on a commit: its approval waits, and SNS publishes the notification. */
  startExecution(sha: string) {
    const expires = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16) + "Z";
    const run = this.pipeline.startExecution(sha, expires);
    this.enqueue(snsEnvelope(approvalNotification({ token: run.token, expires })));
  }

  enqueue(body: PipelineEvent | Record<string, unknown>) {
    this.messages += 1;
    this.queue.push({
      id: `m${this.messages}`,
      body: JSON.stringify(body),
      receives: 0,
      deleted: false,
      inHand: new Set(),
    });
  }

  /** The messages still on the queue; `visible` leaves out those a live replica holds. */
  pendingMessages(visible: boolean): QueuedMessage[] {
    return this.queue.filter(
      (message) =>
        !message.deleted && (!visible || ![...message.inHand].some((replica) => replica.alive)),
    );
  }

  /**
   * A receive hands out a new receipt handle, and SQS promises to delete a message only for the
   * most recent one: with an older one "the request will succeed, but the message might not be
   * deleted" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html).
   * The model takes that branch: a duplicate delivery's earlier receiver does not delete the
   * message for the later one, so if the later one dies before it finishes, the message comes
   * back, as SQS redelivers a crashed handler's.
   */
  deliverMessage(replica: Replica, message: QueuedMessage) {
    message.receives += 1;
    const receipt = message.receives;
    message.inHand.add(replica);
    this.note(`${replica.name} receives ${message.id} (${describeBody(message.body)})`);
    this.track(
      replica.parts
        .handleMessage({
          MessageId: message.id,
          ReceiptHandle: `${message.id}-${message.receives}`,
          Body: message.body,
          Attributes: { ApproximateReceiveCount: String(message.receives) },
        })
        .then(
          () => {
            if (receipt === message.receives) message.deleted = true;
            else this.note(`${replica.name} deletes ${message.id} with a stale receipt handle`);
          },
          () => undefined,
        )
        .finally(() => message.inHand.delete(replica)),
      replica,
    );
  }

  deliverWebhook(replica: Replica, name: string, payload: Record<string, unknown>, vote?: Vote) {
    this.webhooks.push({ name, payload, vote });
    if (vote) this.votes.push({ ...vote, deliveredAt: Date.now() });
    this.note(
      `${replica.name} receives webhook ${name}${vote ? ` ${vote.verdict} by ${vote.login}` : ""}`,
    );
    this.track(
      replica.parts.probot
        .receive({ id: `delivery-${this.webhooks.length}`, name, payload } as Parameters<
          Replica["parts"]["probot"]["receive"]
        >[0])
        .catch((error: unknown) => {
          if (process.env.MODEL_DEBUG) console.log("webhook failed", error);
        }),
      replica,
    );
  }

  advanceClock(ms: number) {
    this.options.advanceClock(ms);
  }

  /** The replica's next request fails with a 5xx: before GitHub or AWS applied it, or after. */
  armFault(replica: Replica, when: "before" | "after") {
    this.faults.set(replica, when);
  }

  disarmFaults() {
    this.faults.clear();
  }

  /**
   * The process dies: its requests in flight are never answered; a fresh one (empty caches) takes
   * its slot. Built inside the crash command's step, while the scheduler waits for it, so nothing
   * else moves meanwhile.
   */
  async crash(slot: number) {
    const replica = this.replicas[slot];
    if (!replica || this.crashes >= this.options.spares) return;
    this.crashes += 1;
    replica.alive = false;
    const fresh = await this.newReplica(
      `r${this.options.replicas + this.crashes}`,
      this.options.replicas + this.crashes - 1,
    );
    this.replicas[slot] = fresh;
    this.note(`${replica.name} crashes; ${fresh.name} takes its place`);
  }

  note(line: string) {
    this.trace.push(`${new Date(Date.now()).toISOString().slice(11, 23)} ${line}`);
  }

  track(task: Promise<unknown>, replica: Replica) {
    this.tasks.set(task, replica);
    void task.finally(() => this.tasks.delete(task));
  }

  /**
   * Runs the scheduler until every live replica has finished its work in hand. A command runs
   * inside one of the scheduler's steps (fast-check awaits it before picking the next step), so
   * waiting here means taking the steps here.
   */
  async settled(): Promise<void> {
    for (;;) {
      await flush();
      const live = [...this.tasks.values()].some((replica) => replica.alive);
      if (!live || this.options.scheduler.count() === 0) return;
      await this.options.scheduler.waitOne();
    }
  }

  private async newReplica(name: string, slot: number): Promise<Replica> {
    const holder: { replica?: Replica } = {};
    const replica = await createReplica(name, slot, {
      fetch: (input, init) => this.githubFetch(holder.replica!, input, init),
      codepipeline: (target, input) =>
        this.exchange(
          holder.replica!,
          `CodePipeline ${target}`,
          target === "PutApprovalResult",
          () => this.pipeline.handle(target, input),
        ).then((reply) =>
          reply.status >= 500
            ? {
                status: 503,
                body: { __type: "ServiceUnavailableException", message: "model fault" },
              }
            : { status: reply.status, body: reply.body },
        ),
      sleep: () => this.gate(holder.replica!, "sleep"),
      ...(this.options.variant?.skipPendingCheck
        ? { executionOfToken: (token: string) => this.pipeline.run(token)?.executionId }
        : {}),
      ...(this.options.variant?.skipStaleRecheck ? { skipStaleRecheck: true } : {}),
    });
    holder.replica = replica;
    return replica;
  }

  private async githubFetch(
    replica: Replica,
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
    );
    const method = (init?.method ?? "GET").toUpperCase();
    const text = typeof init?.body === "string" ? init.body : "";
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const operation = routeGitHub(this.github, {
      method,
      url,
      headers: new Headers(init?.headers as Record<string, string> | undefined),
      body,
    });
    if (operation.name.startsWith("unknown")) this.unknownRoutes.push(operation.name);
    // Installation tokens are not steps: @octokit/auth-app shares a token request in flight across
    // every client of the process (a module-level map), so one crashed replica's request would
    // hang every other replica of this one-process model, which separate processes never do.
    const reply =
      operation.name === "apps.createInstallationAccessToken"
        ? operation.apply()
        : await this.exchange(replica, `GitHub ${operation.name}`, operation.write, () => {
            const answer = operation.apply();
            if (answer.status === 422)
              this.refusedWrites.push(`${operation.name}: ${JSON.stringify(answer.body)}`);
            return answer;
          });
    const headers = new Headers(reply.headers);
    if (!headers.has("content-type") && reply.body !== undefined) {
      headers.set("content-type", "application/json; charset=utf-8");
    }
    const payload =
      reply.status === 304 || reply.body === undefined
        ? ""
        : typeof reply.body === "string"
          ? reply.body
          : JSON.stringify(reply.body);
    // What @octokit/request reads of a fetch Response, without undici's body streams: a fifth of
    // the model's time went into building real Response objects.
    const response = {
      status: reply.status,
      statusText: "",
      url: url.href,
      headers,
      body: null,
      text: async () => payload,
      arrayBuffer: async () => new TextEncoder().encode(payload).buffer,
    };
    return response as unknown as Response;
  }

  /**
   * One request: waits for its scheduled step (forever, if its replica died meanwhile), then is
   * applied to the model at once, so requests never overlap inside a model.
   */
  private async exchange(
    replica: Replica,
    label: string,
    write: boolean,
    apply: () => Reply | { status: number; body: Record<string, unknown> },
  ): Promise<Reply> {
    await this.gate(replica, label);
    const fault = this.faults.get(replica);
    this.faults.delete(replica);
    if (fault === "before") {
      this.note(`${replica.name} ${label} → 502 (not applied)`);
      return { status: 502, body: { message: "Server Error" } };
    }
    const reply = apply();
    if (fault === "after") {
      this.note(
        `${replica.name} ${label} → 502 (${write ? "applied, answer lost" : "read failed"})`,
      );
      return { status: 502, body: { message: "Server Error" } };
    }
    this.note(`${replica.name} ${label} → ${reply.status}`);
    return reply;
  }

  private gate(replica: Replica, label: string): Promise<void> {
    return this.options.scheduler
      .schedule(Promise.resolve(), `${replica.name} ${label}`)
      .then(() => (replica.alive ? undefined : new Promise<void>(() => {})));
  }
}

export const appId = modelAppId;

function describeBody(body: string): string {
  const parsed = JSON.parse(body) as {
    Type?: string;
    Message?: string;
    detail?: { state?: string };
  };
  if (parsed.Type === "Notification") {
    const token = (JSON.parse(parsed.Message ?? "{}") as { approval?: { token?: string } }).approval
      ?.token;
    return `approval needed ${token?.slice(-4)}`;
  }
  return `state change ${parsed.detail?.state ?? "?"}`;
}
