/**
 * The undici transport's own path for answers read whole (undici's dispatch with a handler of its own,
 * not `request`): it must put the very request on the wire that `undici.request` does, decode the body as
 * `body.text()` does, and end an attempt at its timeout or the caller's abort wherever the request is.
 */
import { Agent, MockAgent, request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { undiciTransport } from "../../../runtime/transport/undici.js";
import { useLoopbackServer } from "../../helpers/loopback-server.js";

const server = useLoopbackServer();
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

function transport(connections?: number): ReturnType<typeof undiciTransport> {
  const sent = undiciTransport(connections === undefined ? {} : { connections });
  closing.push(() => sent.close());
  return sent;
}

const get = (url: string, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) => ({ method: "GET", url, headers: {}, ...extra });

describe("undiciTransport, answers read whole", () => {
  it("sends the request target undici.request sends, for plain paths and for ones URL parsing rewrites", async () => {
    server.handle((_request, response) => void response.end("ok"));
    const targets = [
      "/v1/customers/cus_123",
      "/v1/customers?expand[]=data.source&limit=3&email=a%40b.c",
      "/a/%2E%2E/b",
      "/a/./b?x=1",
      "/quote's/x?y='z'",
      "/space here/ü?q=a b",
      "/frag#ment",
      "",
    ];
    const sent = transport();
    const agent = new Agent();
    closing.push(() => agent.close());
    for (const target of targets) {
      await sent(get(`${server.url}${target}`));
      await (await request(`${server.url}${target}`, { dispatcher: agent })).body.text();
    }
    const seen = server.requests.map((r) => r.url);
    expect(seen.filter((_url, i) => i % 2 === 0)).toEqual(seen.filter((_url, i) => i % 2 === 1));
  });

  it("decodes the body as body.text() does: UTF-8 across chunk boundaries, a byte order mark skipped", async () => {
    const text = "é€😀".repeat(5000);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    server.handle((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      // One byte at a time at the start, so a character is cut between chunks.
      for (let i = 0; i < 8; i++) response.write(bytes.subarray(i, i + 1));
      response.end(bytes.subarray(8));
    });
    const answer = await transport()(get(`${server.url}/text`));
    expect(answer.body).toBe(text);
    expect(answer.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
  });

  it("answers with status, headers (repeated ones joined) and an empty body", async () => {
    server.handle((_request, response) => {
      response.writeHead(204, [
        ["x-one", "a"],
        ["x-one", "b"],
      ]);
      response.end();
    });
    const answer = await transport()(get(`${server.url}/empty`));
    expect(answer).toMatchObject({ status: 204, body: "" });
    expect(answer.headers.get("x-one")).toBe("a, b");
    expect(answer.headers.get("x-missing")).toBeNull();
  });

  it("a request still waiting for a connection ends at its own timeout", async () => {
    // The only connection is held by a request the server never answers.
    server.handle((request, response) => {
      if (request.url === "/hold") return;
      void response.end("late");
    });
    const sent = transport(1);
    const holder = new AbortController();
    const held = sent(get(`${server.url}/hold`, { signal: holder.signal })).catch((error: unknown) => error);
    const error = await sent(get(`${server.url}/queued`, { timeoutMs: 50 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TIMEOUT", message: "attempt timed out after 50 ms" });
    holder.abort(new Error("done"));
    expect(await held).toMatchObject({ message: "done" });
    expect(server.requests.map((r) => r.url)).not.toContain("/queued");
  });

  it("the caller's abort ends the attempt with its reason, while the body is coming in", async () => {
    const controller = new AbortController();
    server.handle((_request, response) => {
      response.writeHead(200);
      response.write("partial");
      controller.abort(new Error("caller gave up"));
    });
    const error = await transport()(get(`${server.url}/slow`, { signal: controller.signal })).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "caller gave up" });
  });

  it("an abort before sending sends nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("never mind"));
    const error = await transport()(get(`${server.url}/never`, { signal: controller.signal })).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "never mind" });
    expect(server.requests).toHaveLength(0);
  });

  it("works over a dispatcher of the caller's, such as undici's MockAgent", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://api.example.test")
      .intercept({ path: "/v1/things/1?expand=a", method: "GET" })
      .reply(200, { id: "1" }, { headers: { "content-type": "application/json" } });
    const sent = undiciTransport({ dispatcher: agent });
    const answer = await sent(get("https://api.example.test/v1/things/1?expand=a"));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ id: "1" });
    expect(answer.headers.get("content-type")).toBe("application/json");
    await agent.close();
  });

  it("a connection refused rejects with undici's error and its code", async () => {
    const error = await transport()(get("http://127.0.0.1:1/refused")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
  });
});
