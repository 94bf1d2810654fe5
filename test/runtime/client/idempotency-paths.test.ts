/**
 * retry.idempotency.paths: Resend takes Idempotency-Key on POST /emails and /emails/batch only. The
 * client generates a key for those operations and for no other POST (which then is not repeated after a
 * lost answer), and a caller's own key is still sent anywhere. Real HTTP on loopback.
 */
import { describe, expect, it } from "vitest";
import { resendDefinition } from "../../../generated/resend/client.js";
import { coreFor } from "../../helpers/client-core.js";
import type { OperationDefinition } from "../../../runtime/definition.js";
import { takesIdempotencyKey } from "../../../runtime/policies/bucket-routing.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";

const server = useLoopbackServer();

const post = (id: string, path: string): OperationDefinition => ({
  id,
  method: "POST",
  path,
  group: id.split(".")[0]!,
  bodyEncoding: "json",
});
const SEND = post("emails.send", "/emails");
const BATCH = post("emails.batch", "/emails/batch");
const DOMAIN = post("domains.create", "/domains");

describe("retry.idempotency.paths", () => {
  it("takesIdempotencyKey: the declared methods on the declared paths; every path when none are declared", () => {
    const idempotency = resendDefinition.retry.idempotency!;
    expect([SEND, BATCH, DOMAIN].map((op) => takesIdempotencyKey(idempotency, op))).toEqual([true, true, false]);
    expect(takesIdempotencyKey(idempotency, { ...SEND, method: "GET" })).toBe(false);
    const { paths: _paths, ...everywhere } = idempotency;
    expect(takesIdempotencyKey(everywhere, DOMAIN)).toBe(true);
  });

  it("Resend: a key on POST /emails and /emails/batch, reused by the retry; none on POST /domains, which is not repeated", async () => {
    let failures = 0;
    server.handle((_req, res) =>
      failures++ % 2 === 0
        ? json(res, 500, { statusCode: 500, message: "boom", name: "internal_server_error" })
        : json(res, 200, { id: "x" }),
    );
    const client = coreFor(resendDefinition, {
      auth: { token: "re_test" },
      baseUrl: server.url,
      retry: { backoff: { baseMs: 1, capMs: 2 } },
      rateLimits: false,
    });
    await client.request(SEND, { path: "/emails", body: { to: "a@example.com" } });
    await client.request(BATCH, { path: "/emails/batch", body: [{ to: "a@example.com" }] });
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[3]).toBe(keys[2]);
    expect(keys[2]).not.toBe(keys[0]);

    server.requests.length = 0;
    failures = 0;
    await expect(client.request(DOMAIN, { path: "/domains", body: { name: "example.com" } })).rejects.toMatchObject({ status: 500 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers["idempotency-key"]).toBeUndefined();

    server.requests.length = 0;
    server.handle((_req, res) => json(res, 200, { id: "d" }));
    await client.request(DOMAIN, { path: "/domains", body: { name: "example.com" } }, { idempotencyKey: "mine-1" });
    expect(server.requests[0]!.headers["idempotency-key"]).toBe("mine-1");
  });
});
