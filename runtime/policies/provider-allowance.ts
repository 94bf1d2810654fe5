/**
 * What the provider's own count allows, kept per request in flight. A count (`remaining` as of one
 * request) covers every request the provider handled before that one; the client does not know which
 * of its other requests those were, since requests overtake each other on the way. So each request is
 * tracked individually: a request counts against the allowance until an answer proves the provider had
 * already counted it (its own answer reports more remaining than the lowest count of the window, so it
 * was handled before that count was made), or until a later count cannot have missed it (it completed
 * before that count's request was sent). A count can therefore only lower what may be sent, never raise
 * it past what the provider will accept.
 *
 * Two reset meanings: "window" (a fixed window: at the reset the allowance is the limit again) and
 * "refill" (a continuously refilling bucket, full again at the reset, refilling linearly until then).
 * Reset times are read as upper bounds (a provider that rounds writes the second at or after the reset).
 */

/** One request as the allowance tracks it. */
export interface Tracked {
  /** When it was granted (sent no earlier). */
  readonly startedAt: number;
  /** Units it takes (1 for a request count; estimated tokens, points...). */
  readonly cost: number;
  /** Completed (answered or failed), at this time; undefined while in flight. */
  completedAt: number | undefined;
}

export interface Count {
  readonly remaining: number;
  readonly limit?: number | undefined;
  /** Epoch ms: the window's reset, or when a refilling bucket is full again. */
  readonly resetAt: number;
}

export type ResetMeaning = "window" | "refill";

/** Answers of one window disagree on its reset by latency; a new window's reset is later by a whole window. */
const RESET_JITTER_MS = 25;

export class ProviderAllowance {
  /** The lowest count of the window (or the last of a refilling bucket), as of `#at`; NaN: nothing known. */
  #remaining = NaN;
  #at = 0;
  #resetAt = 0;
  #limit: number | undefined;
  /** Refilling buckets: units per ms, from the count that was adopted. */
  #refillPerMs = 0;
  /** The longest time to a reset seen: a lower bound on the window's length. */
  #longestReset = 0;
  /** Requests that may not be in `#remaining` yet, and their total cost. */
  readonly #uncounted = new Set<Tracked>();
  #uncountedCost = 0;
  readonly #inFlight = new Set<Tracked>();
  /**
   * Refilling buckets: requests completed since the earliest one in flight started. The refill breaks
   * the order that counts give within a window (a higher count need not be an older one), so a count
   * adopted later must treat every request that completed after its own started as possibly missing.
   */
  #recent: Tracked[] = [];
  #pausedUntil = 0;

  constructor(
    readonly meaning: ResetMeaning,
    /** How precisely the reset is written (1000 for whole seconds): a new window must move it by more. */
    readonly resolutionMs: number,
  ) {}

  /** The provider's limit as last reported (the bucket's size). */
  get limit(): number | undefined {
    return this.#limit;
  }

  /**
   * Whether the headers describe a local bucket of `size` units per `perMs` itself: the provider's limit
   * is at most that size and its resets come within one period. Then the count, kept per request, can
   * pace the bucket in place of the local estimate (which must assume the worst about latencies).
   */
  describes(size: number, perMs: number): boolean {
    // A refilling bucket's count is not ordered by time (refills raise it), so it only ever lowers.
    if (this.meaning === "refill") return false;
    return this.#limit !== undefined && this.#limit <= size && this.#longestReset <= perMs + this.resolutionMs;
  }

  /** Units free now and until when the count holds; undefined when no count with a known reset holds. */
  snapshot(now: number): { free: number; until: number } | undefined {
    const current = this.#current(now);
    if (Number.isNaN(current) || this.#resetAt === Infinity || this.#resetAt <= now) return undefined;
    const free =
      this.meaning === "refill" ? Math.min(this.#limit ?? Infinity, current - this.#uncountedCost) : current - this.#uncountedCost;
    return { free: Math.floor(free), until: this.meaning === "refill" ? now + 1 : this.#resetAt };
  }

  /** Requests of the allowance are still in flight: their answers may free units before the reset. */
  get answersPending(): boolean {
    return this.#inFlight.size > 0;
  }

  started(request: Tracked): void {
    this.#inFlight.add(request);
    this.#count(request);
  }

  /** The request completed without a count (an error, an answer without the headers). */
  completed(request: Tracked, now: number): void {
    request.completedAt ??= now;
    this.#done(request);
  }

  #done(request: Tracked): void {
    if (!this.#inFlight.delete(request) || this.meaning !== "refill") return;
    this.#recent.push(request);
    let earliest = Infinity;
    for (const other of this.#inFlight) earliest = Math.min(earliest, other.startedAt);
    if (this.#recent.length > 64) this.#recent = this.#recent.filter((r) => r.completedAt! > earliest);
  }

  /** A count read from `request`'s answer at `now` (call before `completed`, or after: both work). */
  answered(request: Tracked, count: Count, now: number): void {
    request.completedAt ??= now;
    this.#done(request);
    if (count.limit !== undefined && count.limit > 0) this.#limit = count.limit;
    if (count.resetAt <= now) {
      // The window that counted it is over: it belongs to no window the allowance still tracks.
      this.#resolve(request);
      return;
    }
    this.#longestReset = Math.max(this.#longestReset, count.resetAt - now);
    const current = this.#current(now);
    if (Number.isNaN(current)) return this.#adopt(request, count, now);
    if (this.meaning === "window" && this.#resetAt !== Infinity) {
      const tolerance = Math.max(this.resolutionMs / 2 + RESET_JITTER_MS, this.#longestReset / 2);
      if (count.resetAt > this.#resetAt + tolerance) return this.#adopt(request, count, now); // a newer window
      if (count.resetAt < this.#resetAt - tolerance) return this.#resolve(request); // an older window
    }
    if (count.remaining < (this.meaning === "refill" ? Math.min(this.#limit ?? Infinity, current) : current)) {
      this.#adopt(request, count, now);
    }
    // A count above the lowest: the provider handled this request before that one, so it is in it.
    else this.#resolve(request);
  }

  /** A rate-limited answer: nothing starts before `until`. */
  pause(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /** 0 when `cost` more units may start now; else how long until they may (Infinity: until an answer). */
  wait(cost: number, now: number): number {
    if (now < this.#pausedUntil) return this.#pausedUntil - now;
    const current = this.#current(now);
    if (Number.isNaN(current)) return 0;
    const free =
      this.meaning === "refill" ? Math.min(this.#limit ?? Infinity, current - this.#uncountedCost) : current - this.#uncountedCost;
    // A request dearer than the whole bucket goes alone, when nothing else is outstanding.
    const needed = this.#limit !== undefined ? Math.min(cost, this.#limit) : cost;
    if (free >= needed) return 0;
    if (this.meaning === "refill" && this.#refillPerMs > 0) return Math.max(1, Math.ceil((needed - free) / this.#refillPerMs));
    if (this.#resetAt > now && this.#resetAt !== Infinity) return this.#resetAt - now;
    // No reset known: an answer in flight will tell; with none in flight, one request goes to ask.
    return this.#inFlight.size > 0 ? Infinity : 0;
  }

  /** The allowance at `now` before the uncounted requests: NaN when no count is known. */
  #current(now: number): number {
    if (Number.isNaN(this.#remaining)) return NaN;
    if (this.meaning === "refill") {
      // Uncapped: what was consumed after the count (the uncounted requests) comes off before the cap.
      const raw = this.#remaining + (now - this.#at) * this.#refillPerMs;
      const limit = this.#limit;
      if (limit === undefined) return now >= this.#resetAt ? NaN : raw;
      if (raw - this.#uncountedCost >= limit) {
        // Full again whatever the completed requests took: they are forgiven, only those in flight count.
        for (const request of [...this.#uncounted]) if (request.completedAt !== undefined) this.#resolve(request);
        this.#remaining = limit;
        this.#at = now;
        return limit;
      }
      return raw;
    }
    if (now < this.#resetAt) return this.#remaining;
    // The window reset: the limit again, less whatever is still on its way (it may land in the new window).
    if (this.#limit === undefined) {
      this.#remaining = NaN;
      return NaN;
    }
    this.#remaining = this.#limit;
    this.#at = this.#resetAt;
    // Until an answer of the new window says when it ends. Requests that completed without a count stay
    // counted: they may have landed after the provider's reset, which was at or before this one.
    this.#resetAt = Infinity;
    return this.#remaining;
  }

  #adopt(request: Tracked, count: Count, now: number): void {
    this.#remaining = Math.max(0, count.remaining);
    this.#at = now;
    this.#resetAt = count.resetAt;
    const limit = this.#limit;
    // A full bucket says nothing of its rate: the last rate learned stands.
    const rate = this.meaning === "refill" && limit !== undefined ? Math.max(0, limit - this.#remaining) / (count.resetAt - now) : 0;
    if (rate > 0) this.#refillPerMs = rate;
    // Not in this count: what is still in flight, and what completed after this request was sent.
    for (const other of [...this.#uncounted]) {
      if (other === request || (other.completedAt !== undefined && other.completedAt <= request.startedAt)) this.#resolve(other);
    }
    for (const other of this.#inFlight) this.#count(other);
    for (const other of this.#recent) if (other !== request && other.completedAt! > request.startedAt) this.#count(other);
    this.#resolve(request);
  }

  #count(request: Tracked): void {
    if (this.#uncounted.has(request)) return;
    this.#uncounted.add(request);
    this.#uncountedCost += request.cost;
  }

  #resolve(request: Tracked): void {
    if (this.#uncounted.delete(request)) this.#uncountedCost -= request.cost;
  }
}
