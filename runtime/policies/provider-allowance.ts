/**
 * What the provider's own count allows, kept per request in flight. A count (`remaining` as of one
 * request) covers every request the provider handled before that one; the client does not know which
 * of its other requests those were, since requests overtake each other on the way. So each request is
 * tracked individually, and a count can only lower what may be sent, never raise it past what the
 * provider will accept.
 *
 * Two reset meanings, one class each: "window" (a fixed window: at the reset the allowance is the limit
 * again) and "refill" (a continuously refilling bucket, full again at the reset, refilling linearly
 * until then). Reset times are read as upper bounds (a provider that rounds writes the second at or
 * after the reset).
 */

/** One request as the allowance tracks it. */
export interface Tracked {
  /** When it was granted (sent no earlier). */
  readonly startedAt: number;
  /** Units it takes (1 for a request count; estimated tokens, points...; the actual cost once its answer said). */
  cost: number;
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

export interface ProviderAllowance {
  /** The provider's limit as last reported (the bucket's size). */
  readonly limit: number | undefined;
  /** Requests of the allowance are still in flight: their answers may free units before the reset. */
  readonly answersPending: boolean;
  /**
   * Whether the headers describe a local bucket of `size` units per `perMs` itself. Then the count, kept
   * per request, can pace the bucket in place of the local estimate (which must assume the worst about
   * latencies).
   */
  describes(size: number, perMs: number): boolean;
  /** Units free now and until when the count holds; undefined when no count with a known reset holds. */
  snapshot(now: number): { free: number; until: number } | undefined;
  started(request: Tracked): void;
  /** The request completed without a count (an error, an answer without the headers). */
  completed(request: Tracked, now: number): void;
  /** A count read from `request`'s answer at `now` (call before `completed`, or after: both work). */
  answered(request: Tracked, count: Count, now: number): void;
  /** A rate-limited answer: nothing starts before `until`. */
  pause(until: number): void;
  /** The answer said what `request` actually cost: it takes that from now on (call before `answered`). */
  reprice(request: Tracked, cost: number): void;
  /** 0 when `cost` more units may start now; else how long until they may (Infinity: until an answer). */
  wait(cost: number, now: number): number;
}

/**
 * `probe`: nothing is known of the bucket but its headers (a bucket learned from them), so before the
 * first answer only one request goes, to ask; the others wait for its count. Once a request completed
 * without one, requests go freely until a count comes.
 */
export function providerAllowance(meaning: ResetMeaning, resolutionMs: number, probe = false): ProviderAllowance {
  return meaning === "refill" ? new RefillAllowance(probe) : new WindowAllowance(resolutionMs, probe);
}

/** What both meanings share: requests in flight, the provider's limit, pauses and the first probe. */
abstract class AllowanceBase {
  protected limitReported: number | undefined;
  protected readonly inFlight = new Set<Tracked>();
  #pausedUntil = 0;
  /** Still probing: no answer has come yet. */
  #probing: boolean;

  constructor(probe: boolean) {
    this.#probing = probe;
  }

  get limit(): number | undefined {
    return this.limitReported;
  }

  get answersPending(): boolean {
    return this.inFlight.size > 0;
  }

  pause(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  protected answeredAny(count: Count): void {
    this.#probing = false;
    if (count.limit !== undefined && count.limit > 0) this.limitReported = count.limit;
  }

  protected completedAny(): void {
    this.#probing = false;
  }

  /** The wait of a pause; else, with nothing known, 0 (or Infinity while the probe is out); undefined: ask the count. */
  protected waitBefore(now: number, known: boolean): number | undefined {
    if (now < this.#pausedUntil) return this.#pausedUntil - now;
    if (known) return undefined;
    return this.#probing && this.inFlight.size > 0 ? Infinity : 0;
  }

  /** A request dearer than the whole bucket goes alone, when nothing else is outstanding. */
  protected needed(cost: number): number {
    return this.limitReported !== undefined ? Math.min(cost, this.limitReported) : cost;
  }
}

/** Answers of one window disagree on its reset by latency; a new window's reset is later by a whole window. */
const RESET_JITTER_MS = 25;

/**
 * A fixed window. A request counts against the allowance until an answer proves the provider had
 * already counted it (its own answer reports more remaining than the lowest count of the window, so it
 * was handled before that count was made), or until a later count cannot have missed it (it completed
 * before that count's request was sent).
 */
class WindowAllowance extends AllowanceBase implements ProviderAllowance {
  /** The lowest count of the window, as of `#at`; NaN: nothing known. */
  #remaining = NaN;
  #resetAt = 0;
  /** The longest time to a reset seen: a lower bound on the window's length. */
  #longestReset = 0;
  /** Requests that may not be in `#remaining` yet, and their total cost. */
  readonly #uncounted = new Set<Tracked>();
  #uncountedCost = 0;

  constructor(
    /** How precisely the reset is written (1000 for whole seconds): a new window must move it by more. */
    readonly resolutionMs: number,
    probe: boolean,
  ) {
    super(probe);
  }

  describes(size: number, perMs: number): boolean {
    return this.limitReported !== undefined && this.limitReported <= size && this.#longestReset <= perMs + this.resolutionMs;
  }

  snapshot(now: number): { free: number; until: number } | undefined {
    const current = this.#current(now);
    if (Number.isNaN(current) || this.#resetAt === Infinity || this.#resetAt <= now) return undefined;
    return { free: Math.floor(current - this.#uncountedCost), until: this.#resetAt };
  }

  started(request: Tracked): void {
    this.inFlight.add(request);
    this.#count(request);
  }

  completed(request: Tracked, now: number): void {
    request.completedAt ??= now;
    if (this.inFlight.delete(request)) this.completedAny();
  }

  answered(request: Tracked, count: Count, now: number): void {
    request.completedAt ??= now;
    this.inFlight.delete(request);
    this.answeredAny(count);
    if (count.resetAt <= now) {
      // The window that counted it is over: it belongs to no window the allowance still tracks.
      this.#resolve(request);
      return;
    }
    this.#longestReset = Math.max(this.#longestReset, count.resetAt - now);
    const current = this.#current(now);
    if (Number.isNaN(current)) return this.#adopt(request, count);
    if (this.#resetAt !== Infinity) {
      const tolerance = Math.max(this.resolutionMs / 2 + RESET_JITTER_MS, this.#longestReset / 2);
      if (count.resetAt > this.#resetAt + tolerance) return this.#adopt(request, count); // a newer window
      if (count.resetAt < this.#resetAt - tolerance) return this.#resolve(request); // an older window
    }
    if (count.remaining < current) this.#adopt(request, count);
    // A count above the lowest: the provider handled this request before that one, so it is in it.
    else this.#resolve(request);
  }

  wait(cost: number, now: number): number {
    const current = this.#current(now);
    const before = this.waitBefore(now, !Number.isNaN(current));
    if (before !== undefined) return before;
    if (current - this.#uncountedCost >= this.needed(cost)) return 0;
    if (this.#resetAt > now && this.#resetAt !== Infinity) return this.#resetAt - now;
    // No reset known: an answer in flight will tell; with none in flight, one request goes to ask.
    return this.inFlight.size > 0 ? Infinity : 0;
  }

  /** The allowance at `now` before the uncounted requests: NaN when no count is known. */
  #current(now: number): number {
    if (Number.isNaN(this.#remaining) || now < this.#resetAt) return this.#remaining;
    // The window reset: the limit again, less whatever is still on its way (it may land in the new window).
    if (this.limitReported === undefined) {
      this.#remaining = NaN;
      return NaN;
    }
    this.#remaining = this.limitReported;
    // Until an answer of the new window says when it ends. Requests that completed without a count stay
    // counted: they may have landed after the provider's reset, which was at or before this one.
    this.#resetAt = Infinity;
    return this.#remaining;
  }

  #adopt(request: Tracked, count: Count): void {
    this.#remaining = Math.max(0, count.remaining);
    this.#resetAt = count.resetAt;
    // Not in this count: what is still in flight, and what completed after this request was sent.
    for (const other of [...this.#uncounted]) {
      if (other === request || (other.completedAt !== undefined && other.completedAt <= request.startedAt)) this.#resolve(other);
    }
    for (const other of this.inFlight) this.#count(other);
    this.#resolve(request);
  }

  reprice(request: Tracked, cost: number): void {
    if (this.#uncounted.has(request)) this.#uncountedCost += cost - request.cost;
    request.cost = cost;
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

/** Completed requests kept for counts that arrive later; beyond this, the oldest are dropped. */
const MAX_RECENT = 1024;

/**
 * A continuously refilling bucket, full again at the reset. Its counts are not ordered by time (refills
 * raise them), so no count proves another request was in it: the allowance keeps a lower bound of the
 * provider's units instead. Each request is taken off the bound as if it arrived at the latest moment it
 * could have (refills stop at the limit, so a later arrival leaves less), and a count sets a new bound,
 * less what may have arrived after it, when that is higher than the one held. The refill rate is the
 * highest of the lower bounds the counts give (the deficit over the time from the request's start to
 * the reset), so it is never overestimated.
 */
class RefillAllowance extends AllowanceBase implements ProviderAllowance {
  /** A lower bound of the provider's units at `#at`, before `#unfolded` and what is in flight; NaN: nothing known. */
  #level = NaN;
  #at = 0;
  /** When the count that set the level said the bucket is full again. */
  #resetAt = 0;
  #ratePerMs = 0;
  #inFlightCost = 0;
  /** Requests completed since the level was set: they may not be in it. */
  #unfoldedCost = 0;
  #unfoldedCount = 0;
  #lastCompleted = -Infinity;
  /** Completed requests, oldest first: those completed after a request started may be missing from its count. */
  #recent: Tracked[] = [];
  /** Requests that completed up to this time may have been dropped from `#recent`. */
  #recentFrom = -Infinity;

  describes(): boolean {
    // Its count only ever lowers a declared bucket.
    return false;
  }

  snapshot(): undefined {
    return undefined;
  }

  started(request: Tracked): void {
    this.inFlight.add(request);
    this.#inFlightCost += request.cost;
  }

  reprice(request: Tracked, cost: number): void {
    if (this.inFlight.has(request)) this.#inFlightCost += cost - request.cost;
    // A completed request is not repriced: the bound already took it off at its estimate.
    else return;
    request.cost = cost;
  }

  completed(request: Tracked, now: number): void {
    request.completedAt ??= now;
    if (this.#done(request)) this.completedAny();
  }

  /** Moves a request from in flight to the completed ones the level may not include. */
  #done(request: Tracked): boolean {
    if (!this.inFlight.delete(request)) return false;
    this.#inFlightCost -= request.cost;
    this.#unfoldedCost += request.cost;
    this.#unfoldedCount += 1;
    this.#lastCompleted = Math.max(this.#lastCompleted, request.completedAt!);
    this.#recent.push(request);
    return true;
  }

  answered(request: Tracked, count: Count, now: number): void {
    request.completedAt ??= now;
    this.#done(request);
    this.answeredAny(count);
    const limit = this.limitReported;
    const remaining = Math.max(0, count.remaining);
    // The provider counted at or after the request's start: the deficit refills in no less than this.
    const refillMs = count.resetAt - request.startedAt;
    if (limit !== undefined && remaining < limit && refillMs > 0)
      this.#ratePerMs = Math.max(this.#ratePerMs, (limit - remaining) / refillMs);
    const held = this.#bound(now);
    const fresh = this.#fromCount(request, remaining);
    if (Number.isNaN(held) || fresh > held) {
      this.#level = fresh;
      this.#resetAt = count.resetAt;
    } else this.#level = held;
    this.#at = now;
    this.#unfoldedCost = 0;
    this.#unfoldedCount = 0;
    this.#lastCompleted = -Infinity;
    this.#prune();
  }

  /** The count of `request`, less the requests that completed after it started (they may have arrived after it). */
  #fromCount(request: Tracked, remaining: number): number {
    if (request.startedAt <= this.#recentFrom) return -Infinity; // what may be missing from it is no longer known
    let missing = 0;
    for (const other of this.#recent) if (other !== request && other.completedAt! > request.startedAt) missing += other.cost;
    return remaining - missing;
  }

  #prune(): void {
    let earliest = Infinity;
    for (const other of this.inFlight) earliest = Math.min(earliest, other.startedAt);
    let keep = this.#recent.filter((r) => r.completedAt! > earliest);
    if (keep.length > MAX_RECENT) {
      const dropped = keep.splice(0, keep.length - MAX_RECENT);
      this.#recentFrom = Math.max(this.#recentFrom, ...dropped.map((r) => r.completedAt!));
    }
    this.#recent = keep;
  }

  /** A lower bound of the provider's units at `now`, less the completed requests but not those in flight; NaN: unknown. */
  #bound(now: number): number {
    if (Number.isNaN(this.#level)) return NaN;
    const limit = this.limitReported;
    if (limit === undefined || this.#ratePerMs === 0) {
      // No refill known: the level holds until the reset, when the bucket is full again (if its size is known).
      if (now < this.#resetAt) return this.#level - this.#unfoldedCost;
      return limit === undefined ? NaN : limit - this.#unfoldedCost;
    }
    const refilled = Math.min(limit, this.#level + (now - this.#at) * this.#ratePerMs) - this.#unfoldedCost;
    // Every completed request had arrived by its completion: from empty then, the bucket refills from there.
    const since = this.#unfoldedCount > 0 ? Math.min(limit, (now - this.#lastCompleted) * this.#ratePerMs) : -Infinity;
    return Math.max(refilled, since);
  }

  wait(cost: number, now: number): number {
    const bound = this.#bound(now);
    const before = this.waitBefore(now, !Number.isNaN(bound));
    if (before !== undefined) return before;
    const needed = this.needed(cost);
    if (bound - this.#inFlightCost >= needed) return 0;
    const limit = this.limitReported;
    const target = needed + this.#inFlightCost;
    if (limit !== undefined && this.#ratePerMs > 0) {
      let at = Infinity;
      if (target + this.#unfoldedCost <= limit) at = this.#at + (target + this.#unfoldedCost - this.#level) / this.#ratePerMs;
      if (this.#unfoldedCount > 0 && target <= limit) at = Math.min(at, this.#lastCompleted + target / this.#ratePerMs);
      if (at !== Infinity) return Math.max(1, Math.ceil(at - now));
    } else if (limit !== undefined && now < this.#resetAt) return this.#resetAt - now;
    // Nothing refills enough in sight: an answer in flight will tell; with none in flight, one request goes to ask.
    return this.inFlight.size > 0 ? Infinity : 0;
  }
}
