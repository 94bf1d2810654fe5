/**
 * The verdict on one attempt, as pure functions of what came back and the call's rules: whether the
 * provider may have applied the request (its outcome), whether the retry rules repeat it, and how the
 * circuit breaker counts it. No I/O and no clock, so every rule is a table in a test.
 *
 * The rules, in order:
 *  1. "Not processed" is retried on any method: a rate-limited answer, an overload answer (503 with a
 *     Retry-After, or what `retry.notProcessed` declares: statuses, provider codes), a connection that
 *     failed before anything was sent (refused, DNS). The provider said it did nothing, so a repeat
 *     cannot apply the request twice.
 *  2. Everything else may have been processed (a 5xx, a timeout, a reset after the request was
 *     written): it is retried only when repeating is safe (an idempotent method, an operation the spec
 *     marks idempotent, or an idempotency key).
 *  3. Whether the rules want a retry at all: a provider hint (Stripe-Should-Retry) first, then the spec's
 *     classification of the error (errors.codes.<code>.retryable, errors.rules), then retry.statuses,
 *     retry.errorCodes and retry.networkErrors.
 *  4. A not-processed answer is neutral to the circuit breaker: an overloaded provider is not a broken one.
 */
import type { CallOutcome } from "../errors/errors.js";
import type { RetryDefinition } from "../definition.js";
import type { BreakerOutcome } from "../policies/circuit-breaker.js";
import type { RetryReason } from "../policies/retry.js";
import type { ResponseHeaders } from "../transport/transport.js";
import { statusMatches } from "./match.js";

export interface AttemptVerdict {
  /** Whether the provider may have applied this attempt's request. */
  readonly outcome: CallOutcome;
  /** The rules repeat it (when attempts, the budget and the deadline allow). */
  readonly retryable: boolean;
  readonly reason: RetryReason | undefined;
  readonly breaker: BreakerOutcome;
}

/** What classifyAnswer needs to know of an error answer. */
export interface AnswerFacts {
  readonly status: number;
  /** The normalized kind (rate_limited for a 429 or what rateLimits.limitedWhen declares). */
  readonly kind: string;
  readonly providerCode: string | undefined;
  /** The spec's opinion (ProviderError.retryable as normalizeError built it, see specRetryable). */
  readonly specRetryable: boolean;
  /** The answer carried a wait (Retry-After or its equivalents). */
  readonly askedWait: boolean;
  /** A provider hint header: true (retry), false (do not), undefined (no opinion). */
  readonly hint: boolean | undefined;
}

/** Connection failures that happen before a byte of the request is sent. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** An overload answer: the provider did not process the request and says to come back (rule 1). */
export function isOverload(retry: RetryDefinition, status: number, providerCode: string | undefined, askedWait: boolean): boolean {
  if (status === 503 && askedWait) return true;
  const declared = retry.notProcessed;
  if (!declared) return false;
  return statusMatches(status, declared.statuses) || (providerCode !== undefined && declared.errorCodes.includes(providerCode));
}

/**
 * What the retry rules say of an answer when neither errors.codes nor errors.rules does: its status is
 * in retry.statuses, its provider code in retry.errorCodes, or it is an overload answer.
 */
export function specRetryable(retry: RetryDefinition, status: number, providerCode: string | undefined, headers: ResponseHeaders): boolean {
  if (retry.statuses.includes(status) || (providerCode !== undefined && retry.errorCodes.includes(providerCode))) return true;
  return isOverload(retry, status, providerCode, asksWait(retry, headers));
}

export function asksWait(retry: RetryDefinition, headers: ResponseHeaders): boolean {
  for (const name of retry.retryAfter.headers) if (headers.get(name) !== null) return true;
  return false;
}

/**
 * The verdict on an error answer; `safe`: repeating the request cannot apply it twice. `retry` is the
 * call's rules (the spec's when the caller turned retries off: `retryable` still says what they say).
 */
export function classifyAnswer(retry: RetryDefinition, safe: boolean, facts: AnswerFacts): AttemptVerdict {
  const limited = facts.kind === "rate_limited";
  const notProcessed = limited || isOverload(retry, facts.status, facts.providerCode, facts.askedWait);
  const outcome: CallOutcome = notProcessed || (facts.status < 500 && facts.kind !== "idempotency_conflict") ? "not_processed" : "unknown";
  const breaker: BreakerOutcome = notProcessed ? "neutral" : facts.status >= 500 ? "failure" : "success";
  const wanted = facts.hint ?? facts.specRetryable;
  const retryable = wanted && (safe || notProcessed);
  const reason: RetryReason | undefined = !retryable
    ? undefined
    : limited
      ? "rate_limited"
      : facts.hint === true
        ? "hint"
        : facts.providerCode !== undefined && retry.errorCodes.includes(facts.providerCode)
          ? "error_code"
          : "status";
  return { outcome, retryable, reason, breaker };
}

/** The verdict on an attempt that got no answer: `errorCode` undefined for a timeout. */
export function classifyFailure(
  retry: RetryDefinition,
  safe: boolean,
  failure: { readonly timedOut: boolean; readonly errorCode: string | undefined },
): AttemptVerdict {
  const code = failure.errorCode;
  if (failure.timedOut) return { outcome: "unknown", retryable: safe, reason: "timeout", breaker: "failure" };
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  const listed = code !== undefined && retry.networkErrors.includes(code);
  return {
    outcome: notSent ? "not_processed" : "unknown",
    retryable: listed && (safe || notSent),
    reason: "network",
    breaker: "failure",
  };
}
