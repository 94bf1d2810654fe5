/**
 * The provider's side of the declared rate limits: each bucket counts requests in fixed windows of
 * `per` (or, with `burst`, as a token bucket refilled at `rate` per `per`), exactly as declared. The
 * answer carries the spec's rate-limit headers for the bucket closest to running out.
 */
import type { RateLimitBucketDefinition, RateLimitsDefinition } from "@switchboard/runtime/contract";
import { bucketsFor } from "@switchboard/runtime/contract";
import type { MockOperation } from "./spec.js";

interface BucketState {
  windowStart: number;
  used: number;
  /** Token buckets: tokens left and when they were counted. */
  tokens: number;
  countedAt: number;
}

export interface BucketVerdict {
  readonly bucket: string;
  readonly limit: number;
  readonly remaining: number;
  /** Epoch ms when a request will be allowed again (window end, or the next token). */
  readonly resetAt: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  /** The bucket with the fewest requests left; undefined when no bucket applies. */
  readonly tightest?: BucketVerdict;
}

export class MockRateLimits {
  readonly #definition: RateLimitsDefinition;
  readonly #state = new Map<string, BucketState>();
  readonly #initialUsed: Readonly<Record<string, number>>;

  constructor(definition: RateLimitsDefinition, initialUsed: Readonly<Record<string, number>> = {}) {
    this.#definition = definition;
    this.#initialUsed = initialUsed;
  }

  /** Counts the request against every bucket it draws from, unless one of them is exhausted. */
  take(operation: MockOperation | undefined, now: number): LimitDecision {
    const names =
      operation === undefined
        ? Object.keys(this.#definition.buckets).filter((n) => this.#definition.buckets[n]!.appliesTo === undefined)
        : bucketsFor(
            {
              id: operation.id,
              method: operation.method,
              path: operation.path,
              group: operation.group,
              buckets: [],
              idempotent: operation.idempotent,
            },
            this.#definition.buckets,
          );
    const verdicts = names.map((name) => this.#peek(name, this.#definition.buckets[name]!, now));
    const blocked = verdicts.find((v) => v.remaining <= 0);
    if (blocked) return { allowed: false, tightest: blocked };
    for (const name of names) this.#consume(name, this.#definition.buckets[name]!, now);
    const after = names.map((name) => this.#peek(name, this.#definition.buckets[name]!, now));
    const tightest = after.sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
    return tightest === undefined ? { allowed: true } : { allowed: true, tightest };
  }

  /** Uses up every bucket's window now, as if another client had spent the quota. */
  exhaust(now: number): void {
    for (const [name, bucket] of Object.entries(this.#definition.buckets)) {
      const state = this.#current(name, bucket, now);
      state.used = bucket.rate;
      state.tokens = 0;
    }
  }

  #current(name: string, bucket: RateLimitBucketDefinition, now: number): BucketState {
    let state = this.#state.get(name);
    if (state === undefined) {
      const used = Math.min(this.#initialUsed[name] ?? 0, bucket.burst ?? bucket.rate);
      state = { windowStart: now, used, tokens: (bucket.burst ?? bucket.rate) - used, countedAt: now };
      this.#state.set(name, state);
    }
    if (bucket.burst !== undefined) {
      const refill = ((now - state.countedAt) * bucket.rate) / bucket.perMs;
      state.tokens = Math.min(bucket.burst, state.tokens + refill);
      state.countedAt = now;
    } else if (now >= state.windowStart + bucket.perMs) {
      state.windowStart += Math.floor((now - state.windowStart) / bucket.perMs) * bucket.perMs;
      state.used = 0;
    }
    return state;
  }

  #peek(name: string, bucket: RateLimitBucketDefinition, now: number): BucketVerdict {
    const state = this.#current(name, bucket, now);
    if (bucket.burst !== undefined) {
      const remaining = Math.floor(state.tokens);
      const resetAt = remaining > 0 ? now : now + Math.ceil(((1 - state.tokens) * bucket.perMs) / bucket.rate);
      return { bucket: name, limit: bucket.burst, remaining, resetAt };
    }
    return { bucket: name, limit: bucket.rate, remaining: bucket.rate - state.used, resetAt: state.windowStart + bucket.perMs };
  }

  #consume(name: string, bucket: RateLimitBucketDefinition, now: number): void {
    const state = this.#current(name, bucket, now);
    if (bucket.burst !== undefined) state.tokens -= 1;
    else state.used += 1;
  }
}

/** The spec's rate-limit headers for one verdict, the reset written in the declared format. */
export function rateLimitHeaders(definition: RateLimitsDefinition, verdict: BucketVerdict, now: number): Record<string, string> {
  const h = definition.headers;
  if (h === undefined) return {};
  const out: Record<string, string> = {};
  if (h.limit) out[h.limit] = String(verdict.limit);
  if (h.remaining) out[h.remaining] = String(Math.max(0, verdict.remaining));
  if (h.used) out[h.used] = String(verdict.limit - Math.max(0, verdict.remaining));
  const resource = definition.buckets[verdict.bucket]?.resource;
  if (h.resource && resource !== undefined) out[h.resource] = resource;
  if (h.reset) out[h.reset] = formatReset(h.resetFormat, verdict.resetAt, now);
  return out;
}

export function formatReset(format: NonNullable<RateLimitsDefinition["headers"]>["resetFormat"], at: number, now: number): string {
  switch (format) {
    case "epoch-seconds":
      return String(Math.ceil(at / 1000));
    case "epoch-ms":
      return String(at);
    case "seconds":
      return String(Math.max(0, Math.ceil((at - now) / 1000)));
    case "http-date":
      return new Date(Math.ceil(at / 1000) * 1000).toUTCString();
    case "rfc3339":
      return new Date(at).toISOString();
    case "duration":
      return `${Math.max(0, at - now)}ms`;
  }
}
