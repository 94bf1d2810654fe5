import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "../../../runtime/errors/redact.js";

describe("redaction", () => {
  const redactor = createRedactor(["x-custom-key-header", "api_secret_param"], ["idempotency-key"]);
  it("hides credentials in headers, keeps the rest", () => {
    expect(
      redactor.headers({
        authorization: "Bearer sk_live_1",
        "x-shopify-access-token": "shpat_1",
        "x-custom-key-header": "k",
        "idempotency-key": "abc",
        "stripe-version": "2026-10-28",
      }),
    ).toEqual({
      authorization: REDACTED,
      "x-shopify-access-token": REDACTED,
      "x-custom-key-header": REDACTED,
      "idempotency-key": "abc",
      "stripe-version": "2026-10-28",
    });
  });
  it("hides secret query parameters, even percent-encoded names", () => {
    expect(redactor.url("https://h/p?a=1&api_key=s3cr3t&access%5Ftoken=t&b=2#frag")).toBe(
      `https://h/p?a=1&api_key=${REDACTED}&access%5Ftoken=${REDACTED}&b=2#frag`,
    );
    expect(redactor.url("https://h/p?api_secret_param=x")).toBe(`https://h/p?api_secret_param=${REDACTED}`);
    expect(redactor.url("https://h/p")).toBe("https://h/p");
  });
  it.each(["authorization", "Proxy-Authorization", "cookie", "Set-Cookie", "x-api-key", "api-key", "apikey", "API_KEY"])(
    "createRedactor() treats %s as secret with no names given",
    (name) => {
      expect(createRedactor().isSecret(name)).toBe(true);
    },
  );
  it("createRedactor() keeps an allowed name that the pattern would hide, and a plain one", () => {
    expect(createRedactor([], ["Authorization"]).isSecret("authorization")).toBe(false);
    expect(createRedactor().isSecret("stripe-version")).toBe(false);
    expect(createRedactor(["X-Custom"]).isSecret("x-custom")).toBe(true);
  });
});
