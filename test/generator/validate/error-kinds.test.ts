import { describe, expect, it } from "vitest";
import { COMMON_ERROR_KINDS } from "../../../generator/validate/semantics/errors.js";
import { createProviderError, isProviderError, ProviderError } from "../../../runtime/errors/errors.js";

describe("the common error kinds the validator knows", () => {
  it("are exactly the kinds the runtime gives a subclass, plus rate_limited, timeout and unknown", () => {
    const withClass = COMMON_ERROR_KINDS.filter((kind) => {
      const error = createProviderError({ kind, provider: "acme", status: 400, message: "m", retryable: false, raw: null });
      expect(isProviderError(error)).toBe(true);
      return error.constructor !== ProviderError;
    });
    expect(withClass).toEqual([
      "authentication",
      "permission",
      "not_found",
      "validation",
      "conflict",
      "idempotency_conflict",
      "provider_unavailable",
    ]);
    expect(COMMON_ERROR_KINDS.filter((k) => !withClass.includes(k))).toEqual(["rate_limited", "timeout", "unknown"]);
  });
});
