/**
 * Real error bodies of each provider, replayed by a loopback server to a client built from the
 * generated definition: each must come out with the expected class, kind, codes, retryable flag and
 * request id. Fixtures live in test/fixtures/errors/<provider>/*.json, each citing its source.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubDefinition as github } from "../../../generated/github/client.js";
import { sendgridDefinition as sendgrid } from "../../../generated/sendgrid/client.js";
import { shopifyDefinition as shopify } from "../../../generated/shopify/client.js";
import { slackDefinition as slack } from "../../../generated/slack/client.js";
import { stripeDefinition as stripe } from "../../../generated/stripe/client.js";
import { twilioDefinition as twilio } from "../../../generated/twilio/client.js";
import { isStripeError, normalizeStripeError } from "../../../generated/stripe/errors.js";
import {
  AuthenticationError,
  isAuthenticationError,
  isProviderError,
  isRateLimitError,
  NotFoundError,
  ProviderError,
  RateLimitError,
} from "../../../runtime/index.js";
import {
  ClientCore,
  errorFieldPaths,
  normalizeError,
  type ErrorsDefinition,
  type OperationDefinition,
  type ProviderDefinition,
} from "../../../runtime/contract.js";
import { coreFor } from "../../helpers/client-core.js";
import * as errorClasses from "../../../runtime/errors/errors.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

interface Fixture {
  readonly source: string;
  readonly response: { status: number; headers: Record<string, string>; body?: unknown; text?: string };
  readonly expect: {
    thrown: "ProviderError" | "RateLimitError";
    class: string;
    kind: string;
    retryable: boolean;
    providerCode?: string;
    knownCode?: string;
    type?: string;
    requestId?: string;
    message?: string;
    param?: string;
    docUrl?: string;
  };
}

const definitions: Record<string, ProviderDefinition> = { github, sendgrid, shopify, slack, stripe, twilio };
const root = path.resolve(import.meta.dirname, "../../fixtures/errors");
const fixtures = Object.keys(definitions).flatMap((provider) =>
  readdirSync(path.join(root, provider))
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ provider, file, fixture: JSON.parse(readFileSync(path.join(root, provider, file), "utf8")) as Fixture })),
);

const operation: OperationDefinition = {
  id: "things.get",
  method: "GET",
  path: "/things",
  group: "things",
  buckets: [],
  idempotent: false,
};
const auth = { token: "tok_secret_123", username: "AC0000", password: "pw_secret_456", apiKey: "key_secret_789", accessToken: "at_secret" };

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server.close();
});

function client(provider: string): ClientCore {
  return coreFor(definitions[provider]!, {
    auth,
    baseUrl: server.url,
    retry: false,
    rateLimits: false,
    circuitBreaker: false,
    ...(provider === "shopify" && { variables: { shop: "example.myshopify.com" } }),
  });
}

describe("error fixtures replayed over loopback", () => {
  it("every provider has fixtures and every fixture cites its source", () => {
    for (const provider of Object.keys(definitions)) expect(fixtures.filter((f) => f.provider === provider).length).toBeGreaterThan(1);
    for (const { fixture } of fixtures) expect(fixture.source.length).toBeGreaterThan(20);
  });

  it.each(fixtures.map((f) => [`${f.provider}/${f.file}`, f] as const))("%s", async (_name, { provider, fixture }) => {
    const { response, expect: want } = fixture;
    server.handle((_req, res) => {
      res.writeHead(response.status, { "content-type": "application/json", ...response.headers });
      res.end(response.text ?? JSON.stringify(response.body));
    });
    const thrown = await client(provider)
      .request(operation, { path: "/things" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    let error: unknown = thrown;
    if (want.thrown === "RateLimitError") {
      expect(isRateLimitError(thrown)).toBe(true);
      expect(thrown).toBeInstanceOf(RateLimitError);
      expect((thrown as RateLimitError).source).toBe("provider");
      error = (thrown as RateLimitError).cause;
    }
    expect(isProviderError(error)).toBe(true);
    const e = error as ProviderError;
    expect(e.constructor.name).toBe(want.class);
    expect(e).toBeInstanceOf((errorClasses as unknown as Record<string, new (...args: never[]) => unknown>)[want.class]);
    expect(e.code).toBe("provider_error");
    expect({
      provider: e.provider,
      status: e.status,
      kind: e.kind,
      retryable: e.retryable,
      providerCode: e.providerCode,
      knownCode: e.knownCode,
      requestId: e.requestId,
      type: e.type,
      param: e.param,
      docUrl: e.docUrl,
    }).toEqual({
      provider,
      status: response.status,
      kind: want.kind,
      retryable: want.retryable,
      providerCode: want.providerCode,
      knownCode: want.knownCode,
      requestId: want.requestId,
      type: want.type,
      param: want.param,
      docUrl: want.docUrl,
    });
    // A knownCode without a providerCode comes only from a code the spec gives by match (SendGrid's bodies have none).
    if (
      want.providerCode === undefined &&
      want.knownCode !== undefined &&
      definitions[provider]!.errors.codes[want.knownCode]?.match === undefined
    )
      throw new Error("fixture names a knownCode without a providerCode");
    if (want.message !== undefined)
      expect(e.message).toBe(`${provider} answered ${response.status}${e.providerCode ? ` (${e.providerCode})` : ""}: ${want.message}`);
    const everything = JSON.stringify(e) + e.message + String(e.stack) + String(thrown);
    for (const secret of Object.values(auth)) expect(everything).not.toContain(secret);
  });
});

describe("normalizeError", () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

  it("redacts secret response headers kept on the error and keeps the rest", () => {
    const error = normalizeError("stripe", stripe.errors, {
      status: 401,
      headers: headers({ "set-cookie": "session=abc", "x-api-key": "k", "request-id": "req_1" }),
      body: { error: { type: "invalid_request_error", message: "Invalid API Key provided: sk_test_****" } },
    });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.headers?.get("set-cookie")).toBe("[redacted]");
    expect(error.headers?.get("x-api-key")).toBe("[redacted]");
    expect(error.headers?.get("request-id")).toBe("req_1");
    expect(error.headers?.get("absent")).toBeNull();
    expect(Object.keys(error)).not.toContain("headers");
  });

  it.each([
    ["a string", { errors: "Not Found" }, "Not Found", undefined],
    ["a list of strings", { errors: ["Title is too long", "Vendor is blank"] }, "Title is too long; Vendor is blank", undefined],
    [
      "GraphQL errors[]",
      { errors: [{ message: "Throttled" }, { message: "Field 'x' doesn't exist" }] },
      "Throttled; Field 'x' doesn't exist",
      undefined,
    ],
    [
      "a field map",
      { errors: { title: ["can't be blank"], price: ["must be > 0", "is invalid"] } },
      "title: can't be blank; price: must be > 0; is invalid",
      "title",
    ],
  ])("reads Shopify's errors as %s", (_name, body, message, param) => {
    const error = normalizeError("shopify", shopify.errors, { status: 422, headers: headers({}), body });
    expect([error.message, error.param]).toEqual([`shopify answered 422: ${message}`, param]);
  });

  it("gives an empty body a message from the status", () => {
    const error = normalizeError("github", github.errors, { status: 404, headers: headers({}), body: undefined, text: "" });
    expect([error instanceof NotFoundError, error.kind, error.message]).toEqual([true, "not_found", "github answered 404: HTTP 404"]);
  });

  it("reads a truncated JSON body's code and keeps the text as the message", () => {
    const text = '{"code": 21211, "message": "The \'To\' number is not a val';
    const error = normalizeError("twilio", twilio.errors, { status: 400, headers: headers({}), body: text });
    expect([error.providerCode, error.knownCode, error.kind, error.hint !== undefined]).toEqual(["21211", "21211", "validation", true]);
  });

  it("leaves knownCode undefined for a code the spec does not list, and keeps it as providerCode", () => {
    const error = normalizeStripeError({
      status: 400,
      headers: headers({}),
      body: { error: { type: "invalid_request_error", code: "country_unsupported", message: "x" } },
    });
    expect([isStripeError(error), error.providerCode, error.knownCode, error.kind]).toEqual([
      true,
      "country_unsupported",
      undefined,
      "validation",
    ]);
  });

  it("guards recognise a kind by its data, as from another copy of the runtime", () => {
    const foreign = Object.assign(new Error("x"), { code: "provider_error", kind: "authentication", provider: "slack" });
    Object.defineProperty(foreign, Symbol.for("switchboard.error"), { value: true });
    expect(isAuthenticationError(foreign)).toBe(true);
    expect(isStripeError(foreign)).toBe(false);
  });

  describe("errors.fields with a list of paths, tried in order (issue #15)", () => {
    // The two shapes a user's Zendesk spec met: {"error": code, "description"} and, for a missing help
    // desk, {"error": {"title", "message"}}.
    const zendesk: ErrorsDefinition = {
      when: [{ status: ["4xx", "5xx"] }],
      fields: {
        code: [["error"], ["error", "title"]],
        message: [["description"], ["error", "message"]],
        requestId: [["meta", "request_id"], ["request_id"]],
      },
      rules: [],
      codes: {},
    };
    const recordNotFound = { error: "RecordNotFound", description: "Not found" };
    const noHelpDesk = {
      error: {
        title: "No help desk at acme.zendesk.com",
        message: "There is no help desk configured at this address. This means that the address is available and that you can claim it.",
      },
    };

    it.each([
      ["the first shape from the first paths", recordNotFound, "RecordNotFound", "Not found"],
      [
        "the second shape from the second paths, the object at $.error passed over for the code",
        noHelpDesk,
        noHelpDesk.error.title,
        noHelpDesk.error.message,
      ],
    ])("normalizeError reads %s", (_name, body, code, message) => {
      const error = normalizeError("zendesk", zendesk, { status: 404, headers: headers({}), body });
      expect([error.kind, error.providerCode, error.message]).toEqual(["not_found", code, `zendesk answered 404 (${code}): ${message}`]);
    });

    it("normalizeError passes over a message path that yields an object for a later one that yields text", () => {
      const errors = { ...zendesk, fields: { message: [["error"], ["description"]] } };
      const body = { error: { message: "from the object" }, description: "from the text" };
      expect(normalizeError("zendesk", errors, { status: 400, headers: headers({}), body }).message).toBe(
        "zendesk answered 400: from the text",
      );
    });

    it("normalizeError reads an object's message when no message path yields text, rather than the raw body", () => {
      const errors = { ...zendesk, fields: { message: [["errors"], ["description"]] } };
      const body = { errors: { title: ["can't be blank"] }, padding: "x".repeat(300) };
      const error = normalizeError("zendesk", errors, { status: 422, headers: headers({}), body });
      expect([error.message, error.param]).toEqual(["zendesk answered 422: title: can't be blank", "title"]);
    });

    it("normalizeError takes a number as its decimal text and skips an empty string for the next path", () => {
      const errors = { ...zendesk, fields: { code: [["code"], ["error", "code"]], type: [["type"], ["error", "type"]] } };
      const body = { code: "", error: { code: 21211, type: "invalid" }, type: { nested: true } };
      const error = normalizeError("acme", errors, { status: 400, headers: headers({}), body });
      expect([error.providerCode, error.type]).toEqual(["21211", "invalid"]);
    });

    it("normalizeError reads each path of a list out of a JSON body cut short", () => {
      const text = '{"error": {"title": "No help desk at acme.zendesk.com", "message": "There is no help desk configured at thi';
      const error = normalizeError("zendesk", zendesk, { status: 404, headers: headers({}), body: text });
      expect(error.providerCode).toBe("No help desk at acme.zendesk.com");
    });

    it("normalizeError reads the request id from the first path that holds one, the header winning", () => {
      const errors = { ...zendesk, requestIdHeader: "x-zendesk-request-id" };
      const body = { ...recordNotFound, request_id: "body-2" };
      expect(normalizeError("zendesk", errors, { status: 404, headers: headers({}), body }).requestId).toBe("body-2");
      expect(
        normalizeError("zendesk", errors, { status: 404, headers: headers({}), body: { ...body, meta: { request_id: "body-1" } } })
          .requestId,
      ).toBe("body-1");
      expect(normalizeError("zendesk", errors, { status: 404, headers: headers({ "x-zendesk-request-id": "h" }), body }).requestId).toBe(
        "h",
      );
    });

    it("errorFieldPaths lists one path, a list, and the body itself ([]) as the paths tried", () => {
      expect(errorFieldPaths(["error", 0, "code"])).toEqual([["error", 0, "code"]]);
      expect(errorFieldPaths([["error"], ["error", "title"]])).toEqual([["error"], ["error", "title"]]);
      expect(errorFieldPaths([])).toEqual([[]]);
      expect(errorFieldPaths(undefined)).toEqual([]);
    });
  });

  it("reads the request id from the error body when the spec says where (errors.fields.requestId), the header winning", () => {
    const errors = { ...stripe.errors, fields: { ...stripe.errors.fields, requestId: ["correlationId"] } };
    const body = { status: "error", message: "x", correlationId: "a1b2c3d4-0000-4000-8000-000000000000" };
    expect(normalizeError("acme", errors, { status: 400, headers: headers({}), body }).requestId).toBe(body.correlationId);
    expect(normalizeError("acme", errors, { status: 400, headers: headers({ "request-id": "req_h" }), body }).requestId).toBe("req_h");
    expect(normalizeError("acme", stripe.errors, { status: 400, headers: headers({}), body }).requestId).toBeUndefined();
  });
});
