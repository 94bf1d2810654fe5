/**
 * The provider's side of the declared rate limits: each bucket counts requests in fixed windows of
 * `per` (or, with `burst`, as a token bucket refilled at `rate` per `per`), exactly as declared, one
 * count per operation for a `perOperation` bucket, and caps the requests in flight at its `concurrency`.
 * The answer carries the spec's rate-limit headers for the bucket closest to running out.
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
  /** The counts this request was taken from (`bucket` or `bucket:operation`); empty when refused. */
  readonly counted: readonly string[];
  /** Call once the answer is sent: frees the request's place under the buckets' concurrency caps. */
  release(): void;
}

const NOTHING = (): void => {};

export class MockRateLimits {
  readonly #definition: RateLimitsDefinition;
  /** The limits counted: the spec's and any the mock was given. */
  get definition(): RateLimitsDefinition {
    return this.#definition;
  }
  readonly #state = new Map<string, BucketState>();
  readonly #inFlight = new Map<string, number>();
  readonly #initialUsed: Readonly<Record<string, number>>;

  constructor(definition: RateLimitsDefinition, initialUsed: Readonly<Record<string, number>> = {}) {
    this.#definition = definition;
    this.#initialUsed = initialUsed;
  }

  /** Counts the request against every bucket it draws from, unless one of them is exhausted or at its concurrency cap. */
  take(operation: MockOperation | undefined, now: number): LimitDecision {
    const buckets = this.#definition.buckets;
    const names =
      operation === undefined
        ? Object.keys(buckets).filter((n) => buckets[n]!.appliesTo === undefined)
        : bucketsFor(
            {
              id: operation.id,
              method: operation.method,
              path: operation.path,
              group: operation.group,
              buckets: [],
              idempotent: operation.idempotent,
            },
            buckets,
          );
    // A per-operation bucket keeps one count per operation (Stripe's per-endpoint limits).
    const counts = names.map((name) => ({
      name,
      key: buckets[name]!.perOperation === true && operation !== undefined ? `${name}:${operation.id}` : name,
      bucket: buckets[name]!,
    }));
    const verdicts = counts.map((c) => this.#peek(c.key, c.name, c.bucket, now));
    const blocked =
      verdicts.find((v) => v.remaining <= 0) ??
      verdicts.find(
        (v, i) =>
          counts[i]!.bucket.concurrency !== undefined && (this.#inFlight.get(counts[i]!.key) ?? 0) >= counts[i]!.bucket.concurrency!,
      );
    if (blocked) return { allowed: false, tightest: blocked, counted: [], release: NOTHING };
    for (const c of counts) {
      this.#consume(c.key, c.bucket, now);
      if (c.bucket.concurrency !== undefined) this.#inFlight.set(c.key, (this.#inFlight.get(c.key) ?? 0) + 1);
    }
    const after = counts.map((c) => this.#peek(c.key, c.name, c.bucket, now));
    const tightest = after.sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const c of counts)
        if (c.bucket.concurrency !== undefined) this.#inFlight.set(c.key, Math.max(0, (this.#inFlight.get(c.key) ?? 0) - 1));
    };
    const counted = counts.map((c) => c.key);
    return tightest === undefined ? { allowed: true, counted, release } : { allowed: true, tightest, counted, release };
  }

  /** Uses up every bucket's window now, as if another client had spent the quota. */
  exhaust(now: number): void {
    for (const [name, bucket] of Object.entries(this.#definition.buckets)) {
      const state = this.#current(name, name, bucket, now);
      state.used = bucket.rate;
      state.tokens = 0;
    }
  }

  #current(key: string, name: string, bucket: RateLimitBucketDefinition, now: number): BucketState {
    let state = this.#state.get(key);
    if (state === undefined) {
      const used = Math.min(this.#initialUsed[key] ?? this.#initialUsed[name] ?? 0, bucket.burst ?? bucket.rate);
      state = { windowStart: now, used, tokens: (bucket.burst ?? bucket.rate) - used, countedAt: now };
      this.#state.set(key, state);
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

  #peek(key: string, name: string, bucket: RateLimitBucketDefinition, now: number): BucketVerdict {
    const state = this.#current(key, name, bucket, now);
    if (bucket.burst !== undefined) {
      const remaining = Math.floor(state.tokens);
      const resetAt = remaining > 0 ? now : now + Math.ceil(((1 - state.tokens) * bucket.perMs) / bucket.rate);
      return { bucket: name, limit: bucket.burst, remaining, resetAt };
    }
    return { bucket: name, limit: bucket.rate, remaining: bucket.rate - state.used, resetAt: state.windowStart + bucket.perMs };
  }

  #consume(key: string, bucket: RateLimitBucketDefinition, now: number): void {
    const state = this.#current(key, key, bucket, now);
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
