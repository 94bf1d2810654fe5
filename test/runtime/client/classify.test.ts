import { describe, expect, it } from "vitest";
import { classifyAnswer, classifyFailure, type AnswerFacts } from "../../../runtime/client/classify.js";
import type { RetryDefinition } from "../../../runtime/definition.js";
import { testDefinition } from "../../helpers/test-provider.js";

const base = testDefinition().retry;
const withOverload: RetryDefinition = { ...base, notProcessed: { statuses: [529], errorCodes: ["overloaded_error"] } };

function answer(facts: Partial<AnswerFacts>): AnswerFacts {
  return {
    status: 500,
    kind: "provider_unavailable",
    providerCode: undefined,
    specRetryable: true,
    askedWait: false,
    hint: undefined,
    ...facts,
  };
}

describe("classifyAnswer (issue 14: retry semantics)", () => {
  const cases: {
    given: string;
    retry?: RetryDefinition;
    safe: boolean;
    facts: Partial<AnswerFacts>;
    want: ReturnType<typeof classifyAnswer>;
  }[] = [
    {
      given: "a 429 on an unsafe POST: not processed, retried, neutral to the breaker",
      safe: false,
      facts: { status: 429, kind: "rate_limited" },
      want: { outcome: "not_processed", retryable: true, reason: "rate_limited", breaker: "neutral" },
    },
    {
      given: "a 503 with a Retry-After on an unsafe POST: an overload, retried",
      safe: false,
      facts: { status: 503, askedWait: true },
      want: { outcome: "not_processed", retryable: true, reason: "status", breaker: "neutral" },
    },
    {
      given: "a 503 without a Retry-After on an unsafe POST: may have been processed, not retried",
      safe: false,
      facts: { status: 503 },
      want: { outcome: "unknown", retryable: false, reason: undefined, breaker: "failure" },
    },
    {
      given: "a 500 on a POST with an idempotency key: may have been processed, retried",
      safe: true,
      facts: { status: 500 },
      want: { outcome: "unknown", retryable: true, reason: "status", breaker: "failure" },
    },
    {
      given: "a declared overload status (529) on an unsafe POST",
      retry: withOverload,
      safe: false,
      facts: { status: 529, specRetryable: true },
      want: { outcome: "not_processed", retryable: true, reason: "status", breaker: "neutral" },
    },
    {
      given: "a declared overload provider code under a 500",
      retry: withOverload,
      safe: false,
      facts: { status: 500, providerCode: "overloaded_error" },
      want: { outcome: "not_processed", retryable: true, reason: "status", breaker: "neutral" },
    },
    {
      given: "errors.codes says retryable: false for a retried status: the spec's word wins",
      safe: true,
      facts: { status: 503, specRetryable: false },
      want: { outcome: "unknown", retryable: false, reason: undefined, breaker: "failure" },
    },
    {
      given: "a hint that says stop overrides a 429",
      safe: true,
      facts: { status: 429, kind: "rate_limited", hint: false },
      want: { outcome: "not_processed", retryable: false, reason: undefined, breaker: "neutral" },
    },
    {
      given: "a hint that says retry overrides the spec, but not safety",
      safe: false,
      facts: { status: 500, specRetryable: false, hint: true },
      want: { outcome: "unknown", retryable: false, reason: undefined, breaker: "failure" },
    },
    {
      given: "a 400: rejected, nothing applied, not retried, a success for the breaker",
      safe: true,
      facts: { status: 400, kind: "validation", specRetryable: false },
      want: { outcome: "not_processed", retryable: false, reason: undefined, breaker: "success" },
    },
    {
      given: "a 409 idempotency conflict: the first request with the key may still be applying",
      safe: true,
      facts: { status: 409, kind: "idempotency_conflict", specRetryable: true },
      want: { outcome: "unknown", retryable: true, reason: "status", breaker: "success" },
    },
  ];
  for (const { given, retry = base, safe, facts, want } of cases) {
    it(given, () => expect(classifyAnswer(retry, safe, answer(facts))).toEqual(want));
  }
});

describe("classifyFailure (issue 14: retry semantics)", () => {
  const cases = [
    {
      given: "a refused connection on an unsafe POST: nothing was sent, retried",
      safe: false,
      failure: { timedOut: false, errorCode: "ECONNREFUSED" },
      want: { outcome: "not_processed", retryable: true, reason: "network", breaker: "failure" },
    },
    {
      given: "a reset on an unsafe POST: may have been processed, not retried",
      safe: false,
      failure: { timedOut: false, errorCode: "ECONNRESET" },
      want: { outcome: "unknown", retryable: false, reason: "network", breaker: "failure" },
    },
    {
      given: "a reset with an idempotency key: retried",
      safe: true,
      failure: { timedOut: false, errorCode: "ECONNRESET" },
      want: { outcome: "unknown", retryable: true, reason: "network", breaker: "failure" },
    },
    {
      given: "a network code the spec does not list: not retried",
      safe: true,
      failure: { timedOut: false, errorCode: "EHOSTUNREACH" },
      want: { outcome: "unknown", retryable: false, reason: "network", breaker: "failure" },
    },
    {
      given: "a timeout on an unsafe POST: may have been processed, not retried",
      safe: false,
      failure: { timedOut: true, errorCode: undefined },
      want: { outcome: "unknown", retryable: false, reason: "timeout", breaker: "failure" },
    },
  ] as const;
  for (const { given, safe, failure, want } of cases) {
    it(given, () => expect(classifyFailure(base, safe, failure)).toEqual(want));
  }
});
