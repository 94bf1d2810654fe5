/**
 * A small provider definition for pipeline tests: one bucket, Stripe-like retries and idempotency,
 * and an operation of each kind. Tests change what they exercise with `testDefinition({...})`.
 */
import type { OperationDefinition, ProviderDefinition } from "../../runtime/definition.js";

export function testDefinition(overrides: Partial<ProviderDefinition> = {}): ProviderDefinition {
  return {
    name: "acme",
    title: "Acme",
    environments: { live: { baseUrl: "http://127.0.0.1:1" } },
    defaultEnvironment: "live",
    variables: {},
    auth: { defaultMode: "key", modes: { key: { type: "bearer", header: "authorization", prefix: "Bearer " } } },
    encoding: { query: "repeat", form: "indices", literalBrackets: false },
    rateLimits: { limitedWhen: [], buckets: {} },
    retry: {
      maxAttempts: 3,
      backoff: { baseMs: 10, capMs: 50, jitter: "full" },
      statuses: [409, 500, 502, 503, 504],
      networkErrors: ["ECONNRESET", "ECONNREFUSED", "EPIPE", "UND_ERR_SOCKET"],
      errorCodes: [],
      retryAfter: { headers: ["retry-after-ms", "retry-after"], maxWaitMs: 5000 },
      hints: [{ header: "acme-should-retry", retryWhen: "true", stopWhen: "false" }],
      idempotency: { header: "idempotency-key", methods: ["POST"], prefix: "" },
      budget: { ratio: 1, windowMs: 10_000, minPerSecond: 100 },
    },
    circuitBreaker: { scope: "provider", threshold: { type: "consecutive", failures: 1000 }, openForMs: 30_000, halfOpenProbes: 1 },
    errors: {
      when: [{ status: ["4xx", "5xx"] }],
      fields: { code: ["error", "code"], message: ["error", "message"] },
      requestIdHeader: "request-id",
      rules: [],
      codes: {},
    },
    ...overrides,
  };
}

export function op(method: OperationDefinition["method"], path: string, extra: Partial<OperationDefinition> = {}): OperationDefinition {
  return {
    id: `${method.toLowerCase()}${path}`,
    method,
    path,
    group: "things",
    buckets: [],
    idempotent: ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"].includes(method),
    ...extra,
  };
}

/** The same definition with no idempotency key header: POSTs become unsafe to retry. */
export function withoutIdempotency(definition: ProviderDefinition): ProviderDefinition {
  const { idempotency: _dropped, ...retry } = definition.retry;
  return { ...definition, retry };
}
