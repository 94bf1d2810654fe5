import { describe, expect, it } from "vitest";
import { COMMON_ERROR_KINDS } from "../../../generator/common/error-kinds.js";
import { createProviderError, isProviderError, ProviderError } from "../../../runtime/errors/errors.js";

describe("the common error kinds the validator knows", () => {
  it("are exactly the kinds the runtime gives a subclass, plus the ones its pipeline and normalizer produce", () => {
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
    expect(COMMON_ERROR_KINDS.filter((k) => !withClass.includes(k))).toEqual([
      "rate_limited",
      "timeout",
      "network",
      "circuit_open",
      "unknown",
    ]);
  });
});
