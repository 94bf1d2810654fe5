import { describe, expect, it } from "vitest";
import * as auth from "../../../runtime/auth/index.js";
import * as source from "../../../runtime/index.js";

describe("runtime errors", () => {
  it("carry a stable code on the class and the instance, and their class name", () => {
    const error = new source.ConfigurationError("bad option");
    expect(source.ConfigurationError.code).toBe("configuration");
    expect(error.code).toBe("configuration");
    expect(error.name).toBe("ConfigurationError");
    expect(error).toBeInstanceOf(source.SwitchboardError);
  });

  it("keep the cause of a network failure", () => {
    const cause = new Error("ECONNRESET");
    const error = new source.NetworkError("stripe", "GET https://api.stripe.com/v1/customers failed", { cause });
    expect(error.cause).toBe(cause);
    expect(source.isNetworkError(error)).toBe(true);
    expect(source.isProviderError(error)).toBe(false);
  });

  it("guards recognise errors from another copy of the runtime, where instanceof cannot", async () => {
    // dist/ is the built copy (npm test builds before running vitest): a second, separate module instance.
    const built = (await import(new URL("../../../runtime/dist/index.js", import.meta.url).href)) as typeof source;
    const foreign = new built.ProviderError({
      provider: "stripe",
      status: 404,
      kind: "not_found",
      message: "No such customer",
      retryable: false,
      raw: {},
    });
    expect(foreign instanceof source.ProviderError).toBe(false);
    expect(source.isProviderError(foreign)).toBe(true);
    expect(source.isSwitchboardError(foreign)).toBe(true);
  });

  it("never serialise the raw body of a provider error", () => {
    const error = new source.ProviderError({
      provider: "x",
      status: 400,
      kind: "validation",
      message: "bad",
      retryable: false,
      raw: { secret: "s3cr3t" },
    });
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
    expect(error.raw).toEqual({ secret: "s3cr3t" });
  });

  it("keep the same own properties in the same order, raw and headers not enumerable", () => {
    // Applications log and serialise these; the fields are declared and assigned in the constructors, so
    // a change there (or a class field definition) would reorder or drop them.
    const provider = new source.ProviderError({
      provider: "stripe",
      status: 402,
      kind: "card_declined",
      message: "Your card was declined.",
      retryable: false,
      raw: {},
    });
    expect(Object.keys(provider)).toEqual([
      "code",
      "name",
      "provider",
      "status",
      "kind",
      "providerCode",
      "knownCode",
      "type",
      "param",
      "docUrl",
      "requestId",
      "retryable",
      "hint",
    ]);
    expect(Object.getOwnPropertyDescriptor(provider, "raw")).toMatchObject({ enumerable: false, writable: false });
    expect(Object.getOwnPropertyDescriptor(provider, "headers")).toMatchObject({ enumerable: false, writable: false });
    expect(Object.keys(new source.NetworkError("stripe", "reset", { errorCode: "ECONNRESET" }))).toEqual([
      "code",
      "name",
      "provider",
      "errorCode",
    ]);
    expect(Object.keys(new auth.OAuthError("invalid_grant", "refused", { status: 400 }))).toEqual(["code", "name", "error", "status"]);
  });
});
