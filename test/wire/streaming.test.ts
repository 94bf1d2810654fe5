/**
 * Streamed answers against a real HTTP server on loopback (issue #15): the generated OpenAI client's
 * chat.streamCompletion (server-sent events) and an NDJSON operation through the client core, on undici
 * and on fetch. Memory stays flat over 10,000 events, leaving a stream early closes its connection,
 * error events become normalized errors, and nothing is retried once the stream is open.
 */
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenaiClient, type OpenaiChatStreamCompletionStreamEvent } from "../../generated/openai/index.js";
import { coreFor } from "../helpers/client-core.js";
import { openStream, type StreamEvent } from "../../runtime/client/stream.js";
import { isNetworkError, isProviderError, isStreamProtocolError, isTimeoutError } from "../../runtime/errors/errors.js";
import { fetchTransport } from "../../runtime/transport/fetch.js";
import { undiciTransport } from "../../runtime/transport/undici.js";
import type { Transport } from "../../runtime/transport/transport.js";
import { useLoopbackServer } from "../helpers/loopback-server.js";
import { ManualClock, settle } from "../helpers/manual-clock.js";
import { op, testDefinition } from "../helpers/test-provider.js";

const server = useLoopbackServer();

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** A transport on an Agent of the test's own, so that its pool can be inspected. */
function undiciPool(): { transport: Transport; agent: Agent } {
  const agent = new Agent({ connections: 4 });
  agents.push(agent);
  return { transport: undiciTransport({ dispatcher: agent }), agent };
}

const transports = {
  undici: () => undiciPool().transport,
  fetch: () => fetchTransport(globalThis.fetch),
};

function openai(transport: Transport, options: Partial<Parameters<typeof createOpenaiClient>[0]> = {}) {
  return createOpenaiClient({ auth: { token: "sk-test-streaming" }, baseUrl: server.url, transport, ...options });
}

const body = { model: "gpt-test", messages: [{ role: "user" as const, content: "Hi" }], stream: true as const };

function chunk(i: number, content = `token ${i} `): string {
  return JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "gpt-test",
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
}

/** Writes with backpressure, so the server never holds more than its socket's buffer. */
async function write(response: ServerResponse, text: string): Promise<void> {
  if (!response.write(text)) await once(response, "drain");
}

function sseHeaders(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-request-id": "req_stream_1" });
}

/** The heap in use after a full collection. */
function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The most the heap grew (after collection) while `events` events of about 1 KB streamed through. */
async function heapGrowth(events: number, read: (onEvent: (index: number) => void) => Promise<number>): Promise<number> {
  const before = heap();
  let peak = 0;
  const every = Math.max(1, Math.floor(events / 4));
  const count = await read((index) => {
    if (index > 0 && index % every === 0) peak = Math.max(peak, heap() - before);
  });
  expect(count).toBe(events);
  return peak;
}

const filler = "x".repeat(900);

describe("a server-sent-events stream through the generated OpenAI client", () => {
  it("yields 10,000 typed chunks with flat memory: the heap grows no more over 10,000 events than over 1,000, give or take 4 MB", async () => {
    server.handle(async (_request, response) => {
      sseHeaders(response);
      const n = Number(_request.headers["x-events"]);
      for (let i = 0; i < n; i++) await write(response, `data: ${chunk(i, filler)}\n\n`);
      response.end("data: [DONE]\n\n");
    });
    const client = openai(undiciPool().transport);
    const run = (n: number) =>
      heapGrowth(n, async (onEvent) => {
        let count = 0;
        for await (const { event, data } of client.chat.streamCompletion({ body }, { headers: { "x-events": String(n) } })) {
          expect(event).toBe("message");
          expect(data.object).toBe("chat.completion.chunk");
          onEvent(count++);
        }
        return count;
      });
    const small = await run(1_000);
    const large = await run(10_000);
    // Buffering the stream would hold about 10 MB more for the larger run (10,000 x 1 KB of text, more parsed).
    expect(large - small).toBeLessThan(4 * 1024 * 1024);
    expect(large).toBeLessThan(8 * 1024 * 1024);
    await client.close();
  }, 120_000);

  it("types each chunk, sends accept: text/event-stream and gives the request id through withResponse()", async () => {
    server.handle((_request, response) => {
      sseHeaders(response);
      response.end(`: keep-alive\n\ndata: ${chunk(0, "Hel")}\n\ndata: ${chunk(1, "lo")}\n\ndata: [DONE]\n\n`);
    });
    const client = openai(undiciPool().transport);
    const stream = client.chat.streamCompletion({ body });
    const response = await stream.withResponse();
    expect(response).toMatchObject({ status: 200, requestId: "req_stream_1" });
    let text = "";
    for await (const event of stream) {
      const typed: OpenaiChatStreamCompletionStreamEvent = event;
      text += typed.data.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("Hello");
    expect(server.requests[0]!.headers["accept"]).toBe("text/event-stream, application/json");
    expect(JSON.parse(server.requests[0]!.body)).toEqual(body);
    // One request: withResponse() and the loop read the same answer.
    expect(server.requests).toHaveLength(1);
    await client.close();
  });

  for (const [name, make] of Object.entries(transports)) {
    describe(`on ${name}`, () => {
      /** A server that streams until the client goes away, and says when it saw the connection close. */
      function endless(): Promise<void> {
        return new Promise<void>((closed) => {
          server.handle(async (_request, response) => {
            response.on("close", () => closed());
            sseHeaders(response);
            for (let i = 0; !response.destroyed; i++) {
              await write(response, `data: ${chunk(i)}\n\n`);
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          });
        });
      }

      it("break mid-stream closes the connection: the server sees it close", async () => {
        const closed = endless();
        const client = openai(make());
        let seen = 0;
        for await (const _ of client.chat.streamCompletion({ body })) if (++seen === 3) break;
        expect(seen).toBe(3);
        await closed;
        await client.close();
      });

      it("the caller's AbortSignal mid-stream rejects the loop with its reason and closes the connection", async () => {
        const closed = endless();
        const client = openai(make());
        const controller = new AbortController();
        const reason = new Error("user left");
        let seen = 0;
        const reading = (async () => {
          for await (const _ of client.chat.streamCompletion({ body }, { signal: controller.signal }))
            if (++seen === 2) controller.abort(reason);
        })();
        await expect(reading).rejects.toBe(reason);
        await closed;
        await client.close();
      });

      it("an error event ends the stream with the normalized provider error (the errors section's codes and fields)", async () => {
        server.handle((_request, response) => {
          sseHeaders(response);
          const error = {
            error: {
              message: "Rate limit reached for requests",
              type: "requests",
              code: "rate_limit_exceeded",
              param: null,
            },
          };
          response.end(`data: ${chunk(0)}\n\nevent: error\ndata: ${JSON.stringify(error)}\n\ndata: ${chunk(1)}\n\n`);
        });
        const client = openai(make());
        const seen: unknown[] = [];
        let caught: unknown;
        try {
          for await (const event of client.chat.streamCompletion({ body })) seen.push(event.data);
        } catch (error) {
          caught = error;
        }
        expect(seen).toHaveLength(1);
        expect(isProviderError(caught)).toBe(true);
        expect(caught).toMatchObject({
          provider: "openai",
          kind: "rate_limited",
          providerCode: "rate_limit_exceeded",
          message: "openai answered 500 (rate_limit_exceeded): Rate limit reached for requests",
          requestId: "req_stream_1",
          outcome: "unknown",
        });
        await client.close();
      });
    });
  }

  it("data with an error property, without an event name, is an error too: read as a 500 (provider_unavailable)", async () => {
    server.handle((_request, response) => {
      sseHeaders(response);
      response.end(`data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error", code: null } })}\n\n`);
    });
    const client = openai(undiciPool().transport);
    await expect(consume(client.chat.streamCompletion({ body }))).rejects.toMatchObject({
      code: "provider_error",
      kind: "provider_unavailable",
      status: 500,
      message: "openai answered 500: The server had an error",
    });
    await client.close();
  });

  it("an error answer before the stream (JSON 401) is normalized like any other answer and yields nothing", async () => {
    server.handle((_request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }),
      );
    });
    const client = openai(undiciPool().transport);
    await expect(consume(client.chat.streamCompletion({ body }))).rejects.toMatchObject({
      kind: "authentication",
      status: 401,
      providerCode: "invalid_api_key",
    });
    await client.close();
  });

  it("retries before the stream opens (a 503 with retry-after-ms), and never once it is open: a cut stream is a NetworkError after one request", async () => {
    server.handle((_request, response) => {
      if (server.requests.length === 1) {
        response.writeHead(503, { "content-type": "application/json", "retry-after-ms": "1" });
        response.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
        return;
      }
      sseHeaders(response);
      response.end(`data: ${chunk(0)}\n\ndata: [DONE]\n\n`);
    });
    const { agent, transport } = undiciPool();
    const client = openai(transport);
    expect(await consume(client.chat.streamCompletion({ body }))).toHaveLength(1);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.handle((_request, response) => {
      sseHeaders(response);
      response.write(`data: ${chunk(0)}\n\n`);
      setTimeout(() => response.socket?.destroy(), 20);
    });
    let caught: unknown;
    try {
      await consume(client.chat.streamCompletion({ body }));
    } catch (error) {
      caught = error;
    }
    expect(isNetworkError(caught)).toBe(true);
    expect(caught).toMatchObject({ outcome: "unknown" });
    expect(server.requests).toHaveLength(1);
    // The pool holds no socket busy with the dead stream.
    expect(Object.values(agent.stats).reduce((n, pool) => n + pool.running, 0)).toBe(0);
    await client.close();
  });

  it("cancel() after withResponse() closes a stream that is never read", async () => {
    let closed!: Promise<unknown>;
    server.handle(async (_request, response) => {
      closed = once(response, "close");
      sseHeaders(response);
      for (let i = 0; i < 10_000 && !response.destroyed; i++) await write(response, `data: ${chunk(i, filler)}\n\n`);
    });
    const { agent, transport } = undiciPool();
    const client = openai(transport);
    const stream = client.chat.streamCompletion({ body });
    expect((await stream.withResponse()).status).toBe(200);
    await stream.cancel();
    await closed;
    expect(Object.values(agent.stats).reduce((n, pool) => n + pool.running, 0)).toBe(0);
    await client.close();
  });

  it("a 200 JSON answer to the SSE operation is no stream: it fails as truncated, with nothing yielded", async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(chunk(0));
    });
    const client = openai(undiciPool().transport);
    await expect(consume(client.chat.streamCompletion({ body }))).rejects.toMatchObject({ code: "stream_protocol", reason: "truncated" });
    await client.close();
  });

  it("a stream that ends without its data: [DONE] fails with StreamProtocolError truncated", async () => {
    server.handle((_request, response) => {
      sseHeaders(response);
      response.end(`data: ${chunk(0)}\n\n`);
    });
    const client = openai(undiciPool().transport);
    let caught: unknown;
    const seen: unknown[] = [];
    try {
      for await (const event of client.chat.streamCompletion({ body })) seen.push(event);
    } catch (error) {
      caught = error;
    }
    expect(seen).toHaveLength(1);
    expect(isStreamProtocolError(caught)).toBe(true);
    expect(caught).toMatchObject({ reason: "truncated", message: "openai: the stream ended before its terminator" });
    await client.close();
  });

  it("after break, the undici pool has no busy socket and the next call gets a connection", async () => {
    server.handle(async (request, response) => {
      sseHeaders(response);
      for (let i = 0; i < 1000 && !response.destroyed; i++) await write(response, `data: ${chunk(i, filler)}\n\n`);
      response.end("data: [DONE]\n\n");
    });
    const { agent, transport } = undiciPool();
    const client = openai(transport);
    for (let round = 0; round < 10; round++) {
      let seen = 0;
      for await (const _ of client.chat.streamCompletion({ body })) if (++seen === 2) break;
    }
    await settle();
    const pools = Object.values(agent.stats);
    expect(pools.reduce((n, pool) => n + pool.running + pool.pending, 0)).toBe(0);
    // Each left stream closed its socket rather than leaving it half-read in the pool.
    expect(pools.reduce((n, pool) => n + Number(pool.connected), 0)).toBe(0);
    expect(server.requests).toHaveLength(10);
    await client.close();
  });

  it("ends with TimeoutError idle when nothing arrives for timeout.idleMs while reading (on the client's clock); time in the loop body does not count", async () => {
    let closed!: Promise<unknown>;
    server.handle((_request, response) => {
      closed = once(response, "close");
      sseHeaders(response);
      response.write(`data: ${chunk(0)}\n\n`);
    });
    const clock = new ManualClock(Date.now());
    const client = openai(undiciPool().transport, { clock, timeout: { idleMs: 5_000 } });
    const iterator = client.chat.streamCompletion({ body })[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    // The caller takes its time between events: no read is waiting, so no idle time passes.
    await clock.advance(60_000);
    const next = iterator.next();
    const outcome = next.then(
      () => "resolved",
      (error: unknown) => error,
    );
    await clock.advance(4_999);
    expect(await Promise.race([outcome, settle().then(() => "pending")])).toBe("pending");
    await clock.advance(1);
    const error = await outcome;
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ scope: "idle", timeoutMs: 5_000, message: "openai: stream sent nothing for 5000 ms" });
    await closed;
    await client.close();
  });
});

async function consume<Event>(stream: AsyncIterable<Event>): Promise<Event[]> {
  const out: Event[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

describe("an NDJSON stream through the client core", () => {
  const ndjsonOp = op("POST", "/v1/generate", {
    stream: {
      format: "ndjson",
      eventType: ["type"],
      events: ["delta", "done"],
      done: { event: "end" },
      errors: [{ event: "error", status: 503 }],
    },
  });
  type Event = StreamEvent<"delta", { type: "delta"; text: string; i: number }> | StreamEvent<"done", { type: "done" }>;

  function core(transport: Transport) {
    return coreFor(testDefinition(), { auth: { token: "k" }, baseUrl: server.url, transport }, [ndjsonOp]);
  }

  it("yields 10,000 typed lines with flat memory (1,000 against 10,000, within 4 MB), skipping undeclared types", async () => {
    server.handle(async (request, response) => {
      response.writeHead(200, { "content-type": "application/x-ndjson" });
      const n = Number(request.headers["x-events"]);
      for (let i = 0; i < n; i++) {
        await write(response, `${JSON.stringify({ type: "delta", text: filler, i })}\n`);
        if (i % 100 === 0) await write(response, `${JSON.stringify({ type: "heartbeat" })}\r\n\n`);
      }
      response.end(`${JSON.stringify({ type: "done" })}\n${JSON.stringify({ type: "end" })}\n`);
    });
    const client = core(undiciPool().transport);
    const run = (n: number) =>
      heapGrowth(n, async (onEvent) => {
        let count = 0;
        for await (const event of openStream<Event>(
          client,
          ndjsonOp,
          { path: "/v1/generate", body: {} },
          { headers: { "x-events": String(n) } },
        )) {
          if (event.event === "delta") {
            expect(event.data.i).toBe(count);
            onEvent(count++);
          }
        }
        return count;
      });
    const small = await run(1_000);
    const large = await run(10_000);
    expect(large - small).toBeLessThan(4 * 1024 * 1024);
    await client.close();
  }, 120_000);

  for (const [name, make] of Object.entries(transports)) {
    it(`on ${name}: an error line ends the stream with the normalized error; break closes the connection`, async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { "content-type": "application/x-ndjson" });
        response.end(
          `${JSON.stringify({ type: "delta", text: "a", i: 0 })}\n${JSON.stringify({ type: "error", error: { code: "overloaded", message: "Try later" } })}\n`,
        );
      });
      const client = core(make());
      await expect(consume(openStream<Event>(client, ndjsonOp, { path: "/v1/generate", body: {} }))).rejects.toMatchObject({
        kind: "provider_unavailable",
        status: 503,
        providerCode: "overloaded",
        message: "acme answered 503 (overloaded): Try later",
      });

      const closed = new Promise<void>((resolve) =>
        server.handle(async (_request, response) => {
          response.on("close", () => resolve());
          response.writeHead(200, { "content-type": "application/x-ndjson" });
          for (let i = 0; !response.destroyed; i++) {
            await write(response, `${JSON.stringify({ type: "delta", text: "t", i })}\n`);
            await new Promise((r) => setTimeout(r, 1));
          }
        }),
      );
      for await (const event of openStream<Event>(client, ndjsonOp, { path: "/v1/generate", body: {} }))
        if (event.event === "delta" && event.data.i === 3) break;
      await closed;
      await client.close();
    });
  }

  it("an error line is read with the errors section's list of paths, as an answer is (issue #15)", async () => {
    const errors = {
      ...testDefinition().errors,
      fields: { code: [["error", "code"], ["error"]], message: [["error", "message"], ["description"]] },
    };
    server.handle((_request, response) => {
      response.writeHead(200, { "content-type": "application/x-ndjson" });
      response.end(`${JSON.stringify({ type: "error", error: "overloaded", description: "Try later" })}\n`);
    });
    const client = coreFor(testDefinition({ errors }), { auth: { token: "k" }, baseUrl: server.url, transport: undiciPool().transport }, [
      ndjsonOp,
    ]);
    await expect(consume(openStream<Event>(client, ndjsonOp, { path: "/v1/generate", body: {} }))).rejects.toMatchObject({
      kind: "provider_unavailable",
      providerCode: "overloaded",
      message: "acme answered 503 (overloaded): Try later",
    });
    await client.close();
  });

  it("a transport that ignores streamWhen and reads the body whole still gives the stream's events", async () => {
    const lines = [{ type: "delta", text: "a", i: 0 }, { type: "heartbeat" }, { type: "delta", text: "b", i: 1 }, { type: "end" }];
    const whole: Transport = async () => ({
      status: 200,
      headers: new Headers({ "content-type": "application/x-ndjson" }),
      body: lines.map((line) => JSON.stringify(line)).join("\n"),
    });
    const events = await consume(openStream<Event>(core(whole), ndjsonOp, { path: "/v1/generate", body: {} }));
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ["delta", { type: "delta", text: "a", i: 0 }],
      ["delta", { type: "delta", text: "b", i: 1 }],
    ]);
  });

  it("a line past maxLineLength ends the stream with StreamProtocolError line_too_long instead of buffering it", async () => {
    const bounded = op("POST", "/v1/generate", { stream: { format: "ndjson", maxLineLength: 1024 } });
    server.handle(async (_request, response) => {
      response.writeHead(200, { "content-type": "application/x-ndjson" });
      // A line that never ends: the client must stop at its limit.
      for (let i = 0; i < 100 && !response.destroyed; i++) await write(response, "x".repeat(1000));
      response.end();
    });
    const client = core(undiciPool().transport);
    let caught: unknown;
    try {
      await consume(openStream(client, bounded, { path: "/v1/generate" }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: "stream_protocol",
      reason: "line_too_long",
      message: "acme: a line is longer than 1024 characters",
    });
    await client.close();
  });
});
