import { describe, expect, it } from "vitest";
import { loadSpec } from "../../../generator/load.js";
import type { SpecModel } from "../../../generator/model/ir.js";

function model(yaml: string): SpecModel {
  const result = loadSpec("specs/test.yaml", yaml);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!;
}

const minimal = `switchboard: 1
provider: { name: acme, title: Acme }
environments:
  live: { baseUrl: https://api.acme.test }
`;

describe("buildModel", () => {
  it("applies every policy default in one place", () => {
    const m = model(minimal);
    expect(m.definition.retry).toEqual({
      maxAttempts: 3,
      backoff: { baseMs: 500, capMs: 30_000, jitter: "full" },
      statuses: [408, 429, 500, 502, 503, 504],
      networkErrors: ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "UND_ERR_SOCKET"],
      errorCodes: [],
      retryAfter: { headers: ["retry-after-ms", "retry-after"], maxWaitMs: 60_000 },
      hints: [],
      budget: { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 },
    });
    expect(m.definition.circuitBreaker).toEqual({
      scope: "provider",
      threshold: { type: "ratio", ratio: 0.5, windowMs: 30_000, minRequests: 20 },
      openForMs: 30_000,
      halfOpenProbes: 1,
    });
    expect(m.definition.errors.when).toEqual([{ status: ["4xx"] }, { status: ["5xx"] }]);
    expect(m.definition.rateLimits).toEqual({ limitedWhen: [], buckets: {} });
    expect(m.definition.defaultEnvironment).toBe("live");
    expect(m.definition.auth).toEqual({ modes: {} });
    expect(m.definition.versions).toBeUndefined();
    expect(m.definition.webhooks).toBeUndefined();
    expect(m.names).toEqual({ pascal: "Acme", camel: "acme" });
  });

  it("converts durations to milliseconds, JSON paths to segments and header names to lower case", () => {
    const m = model(`${minimal}
rateLimits:
  headers: { remaining: X-RateLimit-Remaining, reset: X-RateLimit-Reset, resetFormat: http-date }
  buckets:
    hourly: { rate: 5000, per: 1h, maxQueueWait: 1.5s }
errors:
  fields: { code: "$.errors[0].code", message: $.error.message }
  requestIdHeader: X-Request-Id
`);
    expect(m.definition.rateLimits.headers).toEqual({
      remaining: "x-ratelimit-remaining",
      reset: "x-ratelimit-reset",
      resetFormat: "http-date",
    });
    expect(m.definition.rateLimits.buckets["hourly"]).toEqual({ rate: 5000, perMs: 3_600_000, maxQueueWaitMs: 1500 });
    expect(m.definition.errors.fields).toEqual({ code: ["errors", 0, "code"], message: ["error", "message"] });
    expect(m.definition.errors.requestIdHeader).toBe("x-request-id");
  });

  it("carries an error field's list of paths through in order, and one path (or a list of one) as a single path (issue #15)", () => {
    const m = model(`${minimal}
errors:
  fields:
    code: [$.error, $.error.title]
    message: [$.description, "$.errors[0].message", $.description]
    type: [$.error.type]
    param: $.error.param
`);
    expect(m.definition.errors.fields).toEqual({
      code: [["error"], ["error", "title"]],
      // The repeated path (validate warns) is dropped: it is tried once.
      message: [["description"], ["errors", 0, "message"]],
      type: ["error", "type"],
      param: ["error", "param"],
    });
  });

  it("reads a weighted family whose actual cost comes from the answer (GraphQL query cost points)", () => {
    // How a GraphQL API that reports each query's cost in the answer declares it (Shopify's Admin GraphQL
    // API: extensions.cost.actualQueryCost; the requested cost is not in the request, so it is estimated).
    const m = model(`${minimal}
rateLimits:
  families:
    points:
      limit: X-Points-Limit
      remaining: X-Points-Remaining
      reset: X-Points-Reset
      resetFormat: duration
      resetMeaning: refill
      cost: { answer: $.extensions.cost.actualQueryCost, answerHeader: X-Query-Cost, default: 100 }
  buckets:
    points: { rate: 100, per: 1s, burst: 2000, family: points }
`);
    expect(m.definition.rateLimits.families).toEqual([
      {
        name: "points",
        limit: "x-points-limit",
        remaining: "x-points-remaining",
        reset: "x-points-reset",
        resetFormat: "duration",
        resetMeaning: "refill",
        cost: { answer: ["extensions", "cost", "actualQueryCost"], answerHeader: "x-query-cost", default: 100 },
      },
    ]);
  });

  it("picks the environment marked default, and the first auth mode when none is named", () => {
    const m = model(`switchboard: 1
provider: { name: acme, title: Acme }
environments:
  live: { baseUrl: https://api.acme.test }
  sandbox: { baseUrl: https://sandbox.acme.test, default: true }
auth:
  modes:
    key: { type: apiKey, in: header, name: X-Api-Key }
    token: { type: bearer }
`);
    expect(m.definition.defaultEnvironment).toBe("sandbox");
    expect(m.definition.auth.defaultMode).toBe("key");
    expect(m.definition.auth.modes).toEqual({
      key: { type: "apiKey", in: "header", name: "x-api-key", prefix: "" },
      token: { type: "bearer", header: "authorization", prefix: "Bearer " },
    });
  });

  it("derives groups from paths, strips the group from method names and declares implicit path parameters", () => {
    const m = model(`${minimal}
operations:
  inline:
    accounts.messages.create:
      method: POST
      path: /2010-04-01/Accounts/{AccountSid}/Messages.json
      group: messages
      name: create
      body: { encoding: form, required: true }
    widgets.get:
      method: GET
      path: /v1/widgets/{id}
      params:
        expand: { in: query }
        X-Trace: { in: header, required: true }
    health:
      method: GET
      path: /
`);
    expect(m.groups.map((g) => [g.name, g.property, g.className, g.fileName, g.operations.map((o) => o.method)])).toEqual([
      ["messages", "messages", "AcmeMessagesResource", "messages", ["create"]],
      ["root", "root", "AcmeRootResource", "root", ["health"]],
      ["widgets", "widgets", "AcmeWidgetsResource", "widgets", ["get"]],
    ]);
    const get = m.groups[2]!.operations[0]!;
    expect(get.params).toEqual([
      // Without a schema, a parameter takes what its location can carry.
      { name: "id", property: "id", in: "path", required: true, type: "string | number" },
      { name: "X-Trace", property: "xTrace", in: "header", required: true, type: "string" },
      {
        name: "expand",
        property: "expand",
        in: "query",
        required: false,
        type: "string | number | boolean | readonly (string | number | boolean)[]",
      },
    ]);
    expect(get.definition).toEqual({
      id: "widgets.get",
      method: "GET",
      path: "/v1/widgets/{id}",
      group: "widgets",
    });
    const create = m.groups[0]!.operations[0]!;
    expect(create.paramsType).toBe("AcmeMessagesCreateParams");
    expect(create.definition.idempotent).toBeUndefined();
    expect(create.body).toEqual({ encoding: "form", required: true, type: "Readonly<Record<string, unknown>>" });
    expect(create.params.map((p) => p.property)).toEqual(["accountSid"]);
  });

  it("sorts every map by code point, whatever order the spec wrote it in", () => {
    const m = model(`${minimal}
errors:
  codes:
    zeta: { kind: validation }
    Alpha: { kind: not_found }
    beta: {}
webhooks:
  signature: { algorithm: hmac-sha256, header: X-Sig, format: { style: single }, content: [body], encoding: hex }
  events:
    "order.paid": {}
    "Order.created": {}
    "a.b": {}
`);
    expect(m.errorCodes.map((c) => c.code)).toEqual(["Alpha", "beta", "zeta"]);
    expect(Object.keys(m.definition.errors.codes)).toEqual(["Alpha", "beta", "zeta"]);
    expect(m.events.map((e) => e.type)).toEqual(["Order.created", "a.b", "order.paid"]);
  });

  it("adds provider error kinds from rules and codes after the common kinds", () => {
    const m = model(`${minimal}
errors:
  rules:
    - { type: card_error, kind: card_declined }
  codes:
    fraud: { kind: fraud_suspected }
`);
    expect(m.errorKinds.slice(-3)).toEqual(["unknown", "card_declined", "fraud_suspected"]);
  });

  it("models a webhook signature with its defaults: no alternative headers, exact URL, JSON payload, no empty body", () => {
    const m = model(`${minimal}
webhooks:
  signature: { algorithm: hmac-sha256, header: X-Sig, format: { style: single }, content: [body], encoding: hex }
  eventType: { header: X-Event }
`);
    expect(m.definition.webhooks).toEqual({
      signature: {
        algorithm: "hmac-sha256",
        header: "x-sig",
        alternativeHeaders: [],
        format: { style: "single", prefix: "" },
        content: ["body"],
        encoding: "hex",
        secretEncoding: "raw",
        toleranceDirection: "both",
        urlDefaultPort: "exact",
      },
      eventType: [{ header: "x-event" }],
      maxBodySize: 1_048_576,
      payload: { encoding: "json", allowEmpty: false },
      response: { status: 200 },
    });
  });

  it("models header sets, body hash, form locations and location lists, header names in lower case", () => {
    const m = model(`${minimal}
webhooks:
  signature:
    algorithm: hmac-sha1
    header: Svix-Signature
    timestampHeader: Svix-Timestamp
    idHeader: Svix-Id
    alternativeHeaders: [{ header: Webhook-Signature, timestampHeader: Webhook-Timestamp, idHeader: Webhook-Id }]
    format: { style: versionedList, version: v1 }
    content: [url, id, { literal: "." }, timestamp, sortedFormParams]
    encoding: base64
    bodyHash: { queryParam: bodySHA256 }
    urlDefaultPort: either
    tolerance: 5m
  eventId: [{ header: Svix-Id }, { body: $.data.id }]
  eventType: { form: EventType }
  payload: { encoding: auto, allowEmpty: true }
`);
    const w = m.definition.webhooks!;
    expect(w.signature).toMatchObject({
      header: "svix-signature",
      timestampHeader: "svix-timestamp",
      idHeader: "svix-id",
      alternativeHeaders: [{ header: "webhook-signature", timestampHeader: "webhook-timestamp", idHeader: "webhook-id" }],
      bodyHash: { queryParam: "bodySHA256", algorithm: "sha256", encoding: "hex" },
      urlDefaultPort: "either",
      toleranceMs: 300_000,
    });
    expect(w.eventId).toEqual([{ header: "svix-id" }, { body: ["data", "id"] }]);
    expect(w.eventType).toEqual([{ form: "EventType" }]);
    expect(w.payload).toEqual({ encoding: "auto", allowEmpty: true });
  });

  it("records the spec's SHA-256 for generated headers", () => {
    expect(model(minimal).sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
