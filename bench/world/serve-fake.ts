import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fake answers to one request. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Runs when the answer has left: what the caller can know from this moment on. */
  afterSend?: (sentAt: number) => void;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
  /** When the request arrived, before the simulated network latency. */
  arrivedAt: number;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const clock = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : resolve()));

/**
 * A fake API on 127.0.0.1: every answer leaves `latencyMs` after its request arrived, as if the
 * service were that many milliseconds of round trip away.
 */
export async function serveFake(
  handle: (request: FakeRequest) => FakeReply | Promise<FakeReply>,
  latencyMs: () => number,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const arrivedAt = clock();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const request: FakeRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        arrivedAt,
      };
      void (async () => {
        const reply = await handle(request);
        await sleep(latencyMs() - (clock() - arrivedAt));
        send(res, reply);
        reply.afterSend?.(clock());
      })().catch((error: unknown) => {
        send(res, { status: 500, body: { message: String(error) } });
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: FakeReply) {
  const body =
    reply.body === undefined
      ? ""
      : typeof reply.body === "string"
        ? reply.body
        : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    ...reply.headers,
  });
  res.end(body);
}

/** Calls per operation, for "API calls per approval". */
export class CallCounter {
  readonly counts = new Map<string, number>();
  add(operation: string) {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
  reset() {
    this.counts.clear();
  }
}
