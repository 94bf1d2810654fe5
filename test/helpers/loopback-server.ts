/**
 * A small scriptable HTTP server on 127.0.0.1 for tests that cross the network: each test sets a
 * handler, and every request is recorded with its raw body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** Date.now() when the request arrived. */
  readonly at: number;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  let handler: Handler = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
  };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, response) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = {
        method: incoming.method ?? "",
        url: incoming.url ?? "",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at,
      };
      requests.push(request);
      Promise.resolve(handler(request, response)).catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/**
 * One loopback server for the test file (or describe block) that calls it: started before its tests,
 * closed after them, its recorded requests cleared before each test. The object it returns stands for
 * the server once started.
 */
export function useLoopbackServer(): LoopbackServer {
  let started: LoopbackServer | undefined;
  beforeAll(async () => {
    started = await startLoopbackServer();
  });
  afterAll(() => started?.close());
  beforeEach(() => {
    current().requests.length = 0;
  });
  const current = (): LoopbackServer => {
    if (!started) throw new Error("the loopback server is used before its beforeAll hook ran");
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    handle: (handler) => current().handle(handler),
    close: () => current().close(),
  };
}
