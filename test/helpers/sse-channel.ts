import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for a smee.io channel: server-sent events on 127.0.0.1. smee.io sends each
 * delivery as one `data:` line holding the request's headers (lower-case keys), its JSON `body` and
 * `query`; smee-client re-posts the body to its target with those headers.
 * https://github.com/probot/smee.io/blob/master/lib/server.js
 */
export async function startSseChannel() {
  const listeners = new Set<ServerResponse>();
  let connected: (() => void) | undefined;
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/channel") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write(": ready\n\n");
    listeners.add(res);
    res.on("close", () => listeners.delete(res));
    connected?.();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/channel`,
    listeners: () => listeners.size,
    /** Resolves once a client listens. */
    waitForListener() {
      return listeners.size > 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => (connected = resolve));
    },
    /** Sends one delivery as smee.io does. */
    deliver(headers: Record<string, string>, body: unknown) {
      const data = JSON.stringify({ ...headers, body, query: {} });
      for (const listener of listeners) listener.write(`data: ${data}\n\n`);
    },
    async stop() {
      for (const listener of listeners) listener.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
