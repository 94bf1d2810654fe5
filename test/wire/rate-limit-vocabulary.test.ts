/**
 * The rate-limit vocabulary over the wire (issue 14, item 10): a minimum wait for rate-limited answers
 * and an operation's own timeout. Scripted loopback servers; the rules that need time run on the client's clock.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { coreFor } from "../helpers/client-core.js";
import type { ProviderDefinition } from "../../runtime/definition.js";
import { isRateLimitError, isTimeoutError } from "../../runtime/errors/errors.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { op, testDefinition } from "../helpers/test-provider.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const complete = op("POST", "/v1/completions", { idempotent: true });

describe("minimum wait and per-operation timeouts", () => {
  it("a rate-limited answer with neither Retry-After nor a reset waits at least the spec's minimum", async () => {
    const url = await listen((_request, response) => {
      response.writeHead(403, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "You have exceeded a secondary rate limit" } }));
    });
    const clock = new ManualClock(Date.now());
    const definition = testDefinition({
      environments: { live: { baseUrl: url } },
      rateLimits: {
        limitedWhen: [{ status: [403], body: { path: ["error", "message"], matches: "secondary rate" } }],
        buckets: {},
        minWaitMs: 60_000,
      },
    });
    const core = coreFor(definition, { auth: { token: "t" }, clock });
    const error = await core.send(op("GET", "/things/1"), { path: "/things/1" }).catch((e: unknown) => e);
    core.close();
    // 60 s is past the 5 s maximum wait: the call fails at once, saying when to come back.
    expect(isRateLimitError(error)).toBe(true);
    expect((error as { retryAt: number }).retryAt).toBe(clock.now() + 60_000);
  });

  it("an operation's own timeout overrides the client's attempt timeout; a per-call timeout overrides it", async () => {
    const url = await listen((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      }, 300);
    });
    const definition = testDefinition({ environments: { live: { baseUrl: url } } });
    const core = coreFor(definition, { auth: { token: "t" }, retry: false, timeout: { attemptMs: 10_000 } });
    const short = op("GET", "/short", { timeoutMs: 50 });
    const error = await core.send(short, { path: "/short" }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect((error as { scope: string }).scope).toBe("attempt");
    const answer = await core.send(short, { path: "/short" }, { timeout: { attemptMs: 10_000 } });
    expect(answer.status).toBe(200);
    core.close();
  });
});
