/**
 * Batched calls (the spec's `batch`): the generated SendGrid client's mail.sendBatched against the
 * spec-driven mock (which validates each request body against the mail send schema) and against a
 * loopback server that fails one part; sendBatched's idempotency keys per part on a loopback server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientCore } from "../../../runtime/client/client-core.js";
import { sendBatched } from "../../../runtime/client/batch.js";
import { isConfigurationError, isProviderError } from "../../../runtime/errors/errors.js";
import { startMockProvider, type MockProvider } from "../../../testing/index.js";
import { createSendgridClient } from "../../../generated/sendgrid/index.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";
import { op, testDefinition } from "../../helpers/test-provider.js";

const personalizations = Array.from({ length: 2500 }, (_, i) => ({
  to: [{ email: `u${i}@example.com` }],
  dynamic_template_data: { n: i },
}));
const mail = {
  personalizations,
  from: { email: "app@example.com" },
  template_id: "d-0123456789abcdef0123456789abcdef",
};
const emails = (body: unknown): string[] =>
  (body as { personalizations: { to: { email: string }[] }[] }).personalizations.map((p) => p.to[0]!.email);

describe("mail.sendBatched against the SendGrid mock", () => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startMockProvider("specs/sendgrid.yaml", { seed: 1 });
  });
  afterAll(() => mock.stop());

  it("splits 2,500 personalizations into 3 requests of at most 1,000, in order, every other field in each", async () => {
    const client = createSendgridClient({ auth: { token: "SG.batch" }, baseUrl: mock.url });
    const result = await client.mail.sendBatched({ body: mail });
    expect(result.ok).toBe(true);
    expect(result.failed).toEqual([]);
    expect(result.parts.map((p) => [p.index, p.start, p.end, p.ok && p.response.status])).toEqual([
      [0, 0, 1000, 202],
      [1, 1000, 2000, 202],
      [2, 2000, 2500, 202],
    ]);
    const sent = mock.requests.filter((r) => r.operation === "mail.send");
    expect(sent.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(sent.map((r) => emails(r.body).length)).toEqual([1000, 1000, 500]);
    expect(sent.flatMap((r) => emails(r.body))).toEqual(personalizations.map((p) => p.to[0]!.email));
    for (const r of sent) {
      expect((r.body as typeof mail).template_id).toBe(mail.template_id);
      expect((r.body as typeof mail).from).toEqual(mail.from);
    }
  });

  it("a send that fits is one request, the body as given", async () => {
    const client = createSendgridClient({ auth: { token: "SG.batch" }, baseUrl: mock.url });
    const before = mock.requests.length;
    const result = await client.mail.sendBatched({ body: { ...mail, personalizations: personalizations.slice(0, 3) } });
    expect(result.parts.map((p) => [p.start, p.end, p.ok])).toEqual([[0, 3, true]]);
    expect(mock.requests.slice(before).map((r) => emails(r.body))).toEqual([["u0@example.com", "u1@example.com", "u2@example.com"]]);
  });
});

describe("mail.sendBatched when one part fails", () => {
  const server = useLoopbackServer();

  it("reports the failed part with its range and normalized error, and still sends the parts after it", async () => {
    server.handle((request, response) => {
      if (emails(JSON.parse(request.body))[0] === "u1000@example.com")
        json(response, 400, {
          errors: [{ message: "The from address does not match a verified Sender Identity.", field: "from", help: null }],
        });
      else response.writeHead(202).end();
    });
    const client = createSendgridClient({ auth: { token: "SG.batch" }, baseUrl: server.url });
    const result = await client.mail.sendBatched({ body: mail });
    expect(result.ok).toBe(false);
    expect(server.requests.map((r) => emails(JSON.parse(r.body)).length)).toEqual([1000, 1000, 500]);
    expect(result.parts.map((p) => p.ok)).toEqual([true, false, true]);
    expect(result.failed.map((p) => [p.index, p.start, p.end])).toEqual([[1, 1000, 2000]]);
    const error = result.failed[0]!.error;
    expect(isProviderError(error) && [error.status, error.kind, error.message]).toEqual([
      400,
      "validation",
      "sendgrid answered 400: The from address does not match a verified Sender Identity.",
    ]);
  });
});

describe("sendBatched", () => {
  const server = useLoopbackServer();
  const operation = op("POST", "/v1/things", { batch: { items: "items", max: 2 } });
  const core = () =>
    new ClientCore(testDefinition({ environments: { live: { baseUrl: server.url } } }), { auth: { token: "sk_unit" }, retry: false });

  it("sends part n with the idempotency key <key>-<n>", async () => {
    server.handle((_request, response) => json(response, 200, {}));
    const result = await sendBatched(
      core(),
      operation,
      { path: "/v1/things", body: { items: [1, 2, 3, 4, 5], note: "x" } },
      { idempotencyKey: "job-7" },
    );
    expect(result.parts.map((p) => [p.start, p.end])).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    expect(server.requests.map((r) => [r.headers["idempotency-key"], JSON.parse(r.body)])).toEqual([
      ["job-7-0", { items: [1, 2], note: "x" }],
      ["job-7-1", { items: [3, 4], note: "x" }],
      ["job-7-2", { items: [5], note: "x" }],
    ]);
  });

  it.each([
    ["no body", undefined, "a batched call needs the body array items"],
    ["an items field that is not an array", { items: "a,b" }, "a batched call needs the body array items"],
  ])("rejects a call with %s (ConfigurationError, nothing sent)", async (_name, body, message) => {
    const rejection = sendBatched(core(), operation, { path: "/v1/things", ...(body !== undefined && { body }) });
    await expect(rejection).rejects.toSatisfy(isConfigurationError);
    await expect(rejection).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining(message) as unknown });
    expect(server.requests).toEqual([]);
  });

  it("rejects an operation that declares no batch", async () => {
    const rejection = sendBatched(core(), op("POST", "/v1/things"), { path: "/v1/things", body: { items: [] } });
    await expect(rejection).rejects.toMatchObject({ code: "configuration", message: "operation post/v1/things declares no batch" });
  });
});
