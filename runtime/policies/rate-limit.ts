/**
 * The client-side rate limiter: one gate per bucket, each a FIFO queue in front of a RateLimitStore,
 * with an optional cap on requests in flight. A request that cannot get a slot within the bucket's
 * maximum queue wait fails with a RateLimitError that says when to come back. The provider's
 * rate-limit headers lower what a bucket may send (ProviderAllowance, per request in flight); a spec
 * that declares headers but no bucket gets buckets learned from the headers alone; a rate-limited
 * answer pauses a bucket for every caller.
 */
import type { Clock } from "../clock.js";
import type { RateLimitHeadersDefinition, RateLimitResetFormat, RateLimitResetMeaning } from "../definition.js";
import { ConfigurationError, RateLimitError } from "../errors/errors.js";
import { MemoryRateLimitStore, type BucketLimits, type LimiterStore, type RateLimitStore } from "./rate-limit-store.js";
import type { StoreHealthEvent } from "./store-guard.js";
import type { ResponseHeaders } from "../transport/transport.js";
import type { WaitLimit } from "./timeout.js";
import type { ProviderAllowance, Tracked } from "./provider-allowance.js";

export interface BucketPolicy extends BucketLimits {
  /** At most this many requests of the bucket in flight. */
  readonly concurrency?: number;
  /** A request waits at most this long for a slot, then fails with RateLimitError. */
  readonly maxQueueWaitMs: number;
  /** The value of the provider's rate-limit resource header that this bucket mirrors (GitHub's "core"). */
  readonly resource?: string;
  /** The header family whose counts lower this bucket. @default "requests" */
  readonly family?: string;
  /** One gate per operation. */
  readonly perOperation?: boolean;
}

/** A family of rate-limit headers as the limiter reads its counts. */
export interface FamilyPolicy {
  readonly name: string;
  readonly meaning: RateLimitResetMeaning;
  /** How precisely the reset is written, in ms. */
  readonly resolutionMs: number;
  /** Counts are per resource (the provider names it in a header): one learned bucket per resource. */
  readonly perResource: boolean;
}

/** What a request takes besides its declared buckets: its operation and its cost per family. */
export interface AcquireRoute {
  readonly operation?: string;
  readonly costs?: Readonly<Record<string, number>> | undefined;
}

/** A granted slot. Release it when the response (or failure) is in, so the concurrency cap frees up. */
export interface Permit {
  readonly bucket: string;
  release(): void;
}

/** A permit as its gate tracks it: one request, in flight until released. */
export interface GatePermit extends Permit, Tracked {}

interface Waiter {
  readonly cost: number;
  /** The end of this waiter's wait: the bucket's maximum queue wait or the call's deadline, the earlier. */
  readonly deadline: number;
  /** The call's deadline when it, not the queue wait, ends the wait. */
  readonly limit: WaitLimit | undefined;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  cleanup: () => void;
}

/** Unbounded waits are clamped: a reset or Retry-After further out than this is treated as this far. */
export const MAX_PAUSE_MS = 24 * 60 * 60 * 1000;

/**
 * One bucket: its queue, its cap on requests in flight, its store. A bucket that a header family lowers is
 * a SyncedGate (learned-buckets.ts, the header-sync part), which takes the provider's counts into account
 * through the hooks below (`take`, `started`, `complete`, `pause`).
 */
export class BucketGate {
  readonly #queue: Waiter[] = [];
  #queueHead = 0;
  #inFlight = 0;
  #pumping = false;
  /** The last wait `take` gave may end early, when an answer in flight comes back (SyncedGate sets it). */
  declare protected soft: boolean | undefined;
  /** Asynchronous takes of the fast path still waiting for the store's answer. */
  #taking = 0;
  #pumpAgain = false;
  #cancelWake: (() => void) | undefined;
  #wakeAt = Infinity;
  /** The end of the latest pause a rate-limited answer asked for (this process's): a wait it causes is told apart. */
  #pausedUntil = 0;

  // #private rather than constructor properties: the minifier renames them (RateLimiter reads `resource`).
  readonly #name: string;
  readonly #policy: BucketPolicy;
  readonly #key: string;
  readonly #provider: string;
  readonly #store: RateLimitStore;
  protected readonly clock: Clock;
  /** The provider resource this bucket mirrors (BucketPolicy.resource); a plain property, read per answer. */
  declare readonly resource: string | undefined;
  declare readonly family: string;

  constructor(name: string, policy: BucketPolicy, key: string, provider: string, store: RateLimitStore, clock: Clock) {
    this.#name = name;
    this.#policy = policy;
    this.#key = key;
    this.#provider = provider;
    this.#store = store;
    this.clock = clock;
    this.resource = policy.resource;
    this.family = policy.family ?? "requests";
  }

  /** 0 when a request of `cost` may start now, else the ms to wait (the store's answer). */
  protected take(now: number, cost: number): number | Promise<number> {
    return this.#store.take(this.#key, this.#policy, now, cost);
  }

  /** A request of this bucket started (SyncedGate: its allowance tracks it). */
  protected started?(permit: GatePermit): void;

  /** The request holding `permit`, taken at `takenAt`, completed at `now`: its slot goes back to the store. */
  protected complete(permit: GatePermit, takenAt: number, now: number, cost: number): void | Promise<void> {
    // Taken at `cost`; charged what the answer said it cost, when it did.
    return this.#store.complete(this.#key, this.#policy, takenAt, now, cost, permit.cost);
  }

  /** Looks at the queue again: a slot may have freed. */
  protected wake(): void {
    this.#pump();
  }

  acquire(signal: AbortSignal | undefined, limit: WaitLimit | undefined, cost = 1): Permit | Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    if (limit && now >= limit.at) throw limit.expired();
    if (this.#queueHead === this.#queue.length && !this.#pumping && this.#taking === 0 && this.#hasRoom()) {
      const wait = this.take(now, cost);
      if (wait === 0) return this.#grant(now, cost);
      // A wait already known to end past the queue's maximum or the call's deadline fails at once.
      if (typeof wait === "number" && Number.isFinite(wait) && !this.soft) {
        const end = this.#waitEnd(now, limit);
        if (now + wait > end) throw this.#late(now + wait, end, limit);
      }
      if (typeof wait !== "number") {
        // An asynchronous store: settle its answer in order with the queue. Callers arriving meanwhile
        // queue (one take in flight at a time, not one per caller: a burst of calls must not become a
        // burst of store round trips).
        this.#taking += 1;
        const settled = (): void => void (this.#taking -= 1);
        wait.then(settled, settled);
        return wait.then((w) => (w === 0 ? this.#grant(now, cost) : this.#enqueue(now, signal, limit, cost)));
      }
    }
    return this.#enqueue(now, signal, limit, cost);
  }

  get name(): string {
    return this.#name;
  }

  /** No request of this bucket starts before `until` (clamped to a day). */
  pause(until: number): void {
    const end = Math.min(until, this.clock.now() + MAX_PAUSE_MS);
    if (end > this.#pausedUntil) this.#pausedUntil = end;
    void this.#store.pause(this.#key, end);
    this.#pump();
  }

  #hasRoom(): boolean {
    return this.#policy.concurrency === undefined || this.#inFlight < this.#policy.concurrency;
  }

  /** `takenAt`: the `now` the store granted the slot at, which names the slot when it is released. */
  #grant(takenAt: number, cost: number): Permit {
    this.#inFlight += 1;
    let released = false;
    const permit: GatePermit = {
      bucket: this.#name,
      startedAt: takenAt,
      cost,
      completedAt: undefined,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        const completing = this.complete(permit, takenAt, this.clock.now(), cost);
        if (this.#queueHead < this.#queue.length) {
          if (completing instanceof Promise) void completing.then(() => this.#pump());
          else this.#pump();
        }
      },
    };
    this.started?.(permit);
    return permit;
  }

  /** When a wait that starts now must end: the queue's maximum wait or the call's deadline, the earlier. */
  #waitEnd(now: number, limit: WaitLimit | undefined): number {
    const queueEnd = now + this.#policy.maxQueueWaitMs;
    return limit && limit.at < queueEnd ? limit.at : queueEnd;
  }

  /** The error of a wait that cannot end by `end`: the call's total timeout when that is what ends it, unless a pause does. */
  #late(retryAt: number | undefined, end: number, limit: WaitLimit | undefined): Error {
    // A wait that runs into the pause a rate-limited answer asked for says so and when it ends, whether the
    // queue's maximum or the call's deadline ends it first: nothing timed out.
    const paused = retryAt !== undefined && retryAt <= this.#pausedUntil;
    return limit && limit.at === end && !paused ? limit.expired() : this.#queueTimeout(retryAt, paused);
  }

  #enqueue(now: number, signal: AbortSignal | undefined, limit: WaitLimit | undefined, cost: number): Promise<Permit> {
    return new Promise<Permit>((resolve, reject) => {
      const end = this.#waitEnd(now, limit);
      const waiter: Waiter = {
        cost,
        deadline: end,
        limit,
        resolve,
        reject,
        settled: false,
        cleanup: () => {},
      };
      const cancelDeadline = this.clock.setTimer(end - now, () => this.#fail(waiter, this.#late(undefined, end, limit)));
      const onAbort = (): void => this.#fail(waiter, signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      waiter.cleanup = () => {
        cancelDeadline();
        signal?.removeEventListener("abort", onAbort);
      };
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  #fail(waiter: Waiter, error: unknown): void {
    if (waiter.settled) return;
    settle(waiter).reject(error);
    // A cancelled head must not hold up the ones behind it.
    this.#pump();
  }

  #queueTimeout(retryAt: number | undefined, paused = false): RateLimitError {
    return new RateLimitError(this.#provider, {
      source: "local",
      bucket: this.#name,
      ...(retryAt !== undefined && { retryAt }),
      message: paused
        ? `${this.#provider}: bucket "${this.#name}" is paused until ${new Date(retryAt!).toISOString()} by a rate-limited answer`
        : `${this.#provider}: no slot in rate-limit bucket "${this.#name}" within ${this.#policy.maxQueueWaitMs} ms`,
    });
  }

  #peek(): Waiter | undefined {
    while (this.#queueHead < this.#queue.length && this.#queue[this.#queueHead]!.settled) this.#queueHead += 1;
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
    return this.#queue[this.#queueHead];
  }

  #pump(): void {
    if (this.#pumping) {
      // A drain is running; it may have looked at the queue before this change: look again after it.
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    void this.#drain().finally(() => {
      this.#pumping = false;
      if (this.#pumpAgain) {
        this.#pumpAgain = false;
        this.#pump();
      }
    });
  }

  async #drain(): Promise<void> {
    for (;;) {
      const head = this.#peek();
      if (!head || !this.#hasRoom()) return;
      const now = this.clock.now();
      let wait: number;
      try {
        const taken = this.take(now, head.cost);
        wait = typeof taken === "number" ? taken : await taken;
      } catch (error) {
        // A shared store that fails closed: the head of the queue gets its error, the others ask again.
        const failed = this.#peek();
        if (failed) settle(failed).reject(error);
        continue;
      }
      const waiter = this.#peek();
      if (!waiter) return; // everyone left while the store answered; a slot taken then is lost, never doubled
      if (wait === 0) {
        settle(waiter).resolve(this.#grant(now, waiter.cost));
        continue;
      }
      // Infinity: the next slot frees when a request in flight completes, and its release pumps again.
      if (!Number.isFinite(wait)) return;
      if (now + wait > waiter.deadline && !this.soft) {
        settle(waiter).reject(this.#late(now + wait, waiter.deadline, waiter.limit));
        continue;
      }
      this.#wake(now + wait);
      return;
    }
  }

  /** Stops the wake-up timer and fails every queued request with `error`. */
  close(error: Error): void {
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    for (let waiter = this.#peek(); waiter; waiter = this.#peek()) settle(waiter).reject(error);
  }

  #wake(at: number): void {
    if (this.#cancelWake && at >= this.#wakeAt) return;
    this.#cancelWake?.();
    this.#wakeAt = at;
    this.#cancelWake = this.clock.setTimer(at - this.clock.now(), () => {
      this.#cancelWake = undefined;
      this.#wakeAt = Infinity;
      this.#pump();
    });
  }
}

export interface RateLimiterOptions {
  readonly provider: string;
  readonly buckets: Readonly<Record<string, BucketPolicy>>;
  /** The built-in store, used as it is, or a shared one, which runs behind its guard (SharedRateLimitStore). */
  readonly store: LimiterStore;
  readonly clock: Clock;
  /** Reports a failing shared store and its recovery. */
  readonly onStoreEvent?: (event: StoreHealthEvent) => void;
  /** Prefix of store keys: one quota per account when several clients share a store. */
  readonly keyPrefix: string;
  /**
   * The header families the provider answers with. A family (or a resource of it) that no declared
   * bucket mirrors gets a bucket learned from its headers alone, kept per process.
   */
  readonly families?: readonly FamilyPolicy[];
  /**
   * What a family's counts allow a bucket (the header-sync part, header-sync.ts, passes it): required
   * with `families`, so a limiter without header families ships no allowance.
   */
  readonly allowance?: (family: FamilyPolicy, learned: boolean) => ProviderAllowance;
  /**
   * Buckets that follow the families' counts, learned ones included (learned-buckets.ts; the header-sync
   * part passes it): required with `families`, so a limiter without header families ships none of it.
   */
  readonly familySync?: (limiter: LimiterGates, options: RateLimiterOptions) => FamilySync;
  /** How long a request waits for a slot of a learned bucket. @default 30 s */
  readonly learnedQueueWaitMs?: number;
}

/** What the limiter lends its family sync: its gates, and a way to make one. */
export interface LimiterGates {
  readonly gates: Map<string, BucketGate>;
  readonly gate: (name: string, policy: BucketPolicy, learned: boolean) => BucketGate;
}

/** The limiter's buckets as the provider's counts move them (learned-buckets.ts). */
export interface FamilySync {
  /** Learns a bucket for each family no declared bucket follows, counted for the whole client. */
  start(): void;
  /** A gate of the limiter: lowered by its family's counts when a family lowers its bucket. */
  gate(name: string, policy: BucketPolicy, key: string, store: RateLimitStore, learned: boolean): BucketGate;
  /** The provider's limit a bucket's headers last reported. */
  providerLimit(bucket: string): number | undefined;
  /** Adds the learned gates a request of `operation` takes from. */
  route(gates: BucketGate[], operation: string | undefined): void;
  /** Re-synchronises buckets from the provider's counts on the answer to a request of `operation`. */
  sync(permits: readonly Permit[], counts: readonly ProviderCount[], operation: string | undefined): void;
  /** The answer said what the request actually cost, per family. */
  reprice(permits: readonly Permit[], costs: Readonly<Record<string, number>>): void;
  /** A rate-limited answer to a request that held no slot pauses the learned buckets of this resource. */
  pauseLearned(until: number, resource: string | undefined): void;
}

export class RateLimiter {
  readonly #gates = new Map<string, BucketGate>();
  readonly #options: RateLimiterOptions;
  readonly #store: RateLimitStore;
  /** Header families: buckets that follow the provider's counts, learned ones included. */
  readonly #sync: FamilySync | undefined;
  /** The declared gates of each operation, for the bucket list it was routed with. */
  readonly #routes = new Map<string, { readonly buckets: readonly string[]; readonly gates: readonly BucketGate[] }>();
  #closed: Error | undefined;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
    // The built-in store never fails: it goes unguarded. A shared one brings its guard, so an application
    // on the built-in store ships none.
    const store = options.store;
    if (store instanceof MemoryRateLimitStore) this.#store = store;
    else if (typeof store?.guarded === "function") this.#store = store.guarded(options.clock, options.onStoreEvent ?? (() => {}));
    else throw new ConfigurationError("a rate-limit store other than MemoryRateLimitStore needs guardRateLimitStore()");
    if ((options.families ?? []).length > 0) {
      if (!options.allowance || !options.familySync) throw new ConfigurationError("rate-limit header families need the header-sync part");
      this.#sync = options.familySync({ gates: this.#gates, gate: (name, policy, learned) => this.#gate(name, policy, learned) }, options);
    }
    for (const [name, policy] of Object.entries(options.buckets)) {
      if (!policy.perOperation) this.#gates.set(name, this.#gate(name, policy));
    }
    this.#sync?.start();
  }

  #gate(name: string, policy: BucketPolicy, learned = false): BucketGate {
    const { provider, keyPrefix, clock } = this.#options;
    const key = `${keyPrefix}:${name}`;
    return this.#sync
      ? this.#sync.gate(name, policy, key, this.#store, learned)
      : new BucketGate(name, policy, key, provider, this.#store, clock);
  }

  /** The gates a request of these declared buckets takes from, learned ones included. */
  #route(buckets: readonly string[], operation: string | undefined): readonly BucketGate[] {
    // The declared gates of an operation are the same on every call: found once, kept per operation.
    const cached = operation === undefined ? undefined : this.#routes.get(operation);
    let declared: readonly BucketGate[];
    if (cached && cached.buckets === buckets) declared = cached.gates;
    else {
      declared = this.#declaredGates(buckets, operation);
      if (operation !== undefined) this.#routes.set(operation, { buckets, gates: declared });
    }
    if (!this.#sync) return declared;
    const gates = [...declared];
    this.#sync.route(gates, operation);
    return gates;
  }

  #declaredGates(buckets: readonly string[], operation: string | undefined): BucketGate[] {
    const gates: BucketGate[] = [];
    for (const name of buckets) {
      const policy = this.#options.buckets[name];
      if (!policy) continue;
      let gate = this.#gates.get(name);
      if (policy.perOperation) {
        const key = `${name}@${operation ?? ""}`;
        gate = this.#gates.get(key);
        if (!gate) this.#gates.set(key, (gate = this.#gate(key, policy)));
      }
      if (gate) gates.push(gate);
    }
    return gates;
  }

  /**
   * Takes one slot in each named bucket (and each learned one), in order; on failure the slots already
   * taken are given back. Synchronous (no promise, no tick) when every bucket has a slot free and nobody
   * queued ahead.
   */
  acquire(
    buckets: readonly string[],
    signal: AbortSignal | undefined,
    limit?: WaitLimit,
    route?: AcquireRoute,
  ): Permit[] | Promise<Permit[]> {
    if (this.#closed) throw this.#closed;
    const gates = this.#route(buckets, route?.operation);
    const costs = route?.costs;
    const permits: Permit[] = [];
    for (let i = 0; i < gates.length; i++) {
      const gate = gates[i]!;
      let granted: Permit | Promise<Permit>;
      try {
        granted = gate.acquire(signal, limit, costs?.[gate.family] ?? 1);
      } catch (error) {
        for (const permit of permits) permit.release();
        throw error;
      }
      if (granted instanceof Promise) return this.#acquireRest(gates, costs, i, granted, permits, signal, limit);
      permits.push(granted);
    }
    return permits;
  }

  async #acquireRest(
    gates: readonly BucketGate[],
    costs: AcquireRoute["costs"],
    index: number,
    pending: Promise<Permit>,
    permits: Permit[],
    signal: AbortSignal | undefined,
    limit: WaitLimit | undefined,
  ): Promise<Permit[]> {
    try {
      permits.push(await pending);
      for (let i = index + 1; i < gates.length; i++) permits.push(await gates[i]!.acquire(signal, limit, costs?.[gates[i]!.family] ?? 1));
    } catch (error) {
      for (const permit of permits) permit.release();
      throw error;
    }
    return permits;
  }

  /** Releases every timer: queued requests fail with `error`. */
  close(error: Error): void {
    this.#closed = error;
    for (const gate of this.#gates.values()) gate.close(error);
  }

  /** The provider's limit a bucket's headers last reported (learned buckets: "~family" or "~family:resource"). */
  providerLimit(bucket: string): number | undefined {
    return this.#sync?.providerLimit(bucket);
  }

  /**
   * Re-synchronises buckets from the provider's counts on the answer to a request of `operation`. A count
   * of a resource no declared bucket mirrors teaches which learned bucket the operation's requests take.
   */
  sync(permits: readonly Permit[], counts: ProviderCount | readonly ProviderCount[], operation?: string): void {
    this.#sync?.sync(permits, Array.isArray(counts) ? (counts as readonly ProviderCount[]) : [counts as ProviderCount], operation);
  }

  /** The answer said what the request actually cost, per family: each of its buckets of that family takes that instead of its estimate. */
  reprice(permits: readonly Permit[], costs: Readonly<Record<string, number>>): void {
    this.#sync?.reprice(permits, costs);
  }

  /** A rate-limited answer: no request of these buckets (or of the learned buckets of this resource) starts before `until`. */
  pause(permits: readonly Permit[], until: number, resource: string | undefined): void {
    for (const permit of permits) {
      const gate = this.#gates.get(permit.bucket)!;
      if (resource === undefined || gate.resource === undefined || gate.resource === resource) gate.pause(until);
    }
    if (permits.length === 0) this.#sync?.pauseLearned(until, resource);
  }
}

/** Marks a waiter settled and stops its deadline timer and abort listener; returns it to resolve or reject. */
function settle(waiter: Waiter): Waiter {
  waiter.settled = true;
  waiter.cleanup();
  return waiter;
}

/** What a response's rate-limit headers say. */
export interface ProviderCount {
  readonly remaining: number;
  /** The limit header: the provider's size of the bucket. */
  readonly limit?: number | undefined;
  /** Epoch ms. */
  readonly resetAt: number;
  readonly resource: string | undefined;
  /** The header family. @default "requests" */
  readonly family?: string;
}

/** Reads the provider's count from the declared headers; undefined when they do not say enough. */
export function readProviderCount(
  headers: ResponseHeaders,
  names: RateLimitHeadersDefinition,
  now: number,
  family?: string,
): ProviderCount | undefined {
  const number = (name: string | undefined): number | undefined => {
    const text = name === undefined ? null : headers.get(name);
    if (text === null || text.trim() === "") return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  let remaining = number(names.remaining);
  const limit = number(names.limit);
  if (remaining === undefined) {
    const used = number(names.used);
    if (limit !== undefined && used !== undefined) remaining = limit - used;
  }
  const resetText = names.reset === undefined ? null : headers.get(names.reset);
  const resetAt = resetText === null ? undefined : parseReset(resetText, names.resetFormat, now);
  if (remaining === undefined || resetAt === undefined) return undefined;
  const resource = names.resource === undefined ? undefined : (headers.get(names.resource) ?? undefined);
  return { remaining, limit, resetAt, resource, ...(family !== undefined && { family }) };
}

/** How precisely a reset format writes the time, in ms: answers of one window may differ by this much. */
export function resetResolutionMs(format: RateLimitResetFormat): number {
  return format === "epoch-seconds" || format === "http-date" ? 1000 : format === "epoch-ms" ? 1 : 10;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go-style duration ("6m0s", "1.5s", "20ms", "1h2m3s") in ms; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(text)) return text === "0" ? 0 : undefined;
  let total = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(value) * DURATION_UNITS[unit!]!;
  return total;
}

/** A reset header in the provider's format, as epoch ms; undefined when unreadable. Never before `now`. */
export function parseReset(text: string, format: RateLimitResetFormat, now: number): number | undefined {
  const trimmed = text.trim();
  let at: number;
  switch (format) {
    case "epoch-seconds":
      at = Number(trimmed) * 1000;
      break;
    case "epoch-ms":
      at = Number(trimmed);
      break;
    case "seconds":
      at = now + Number(trimmed) * 1000;
      break;
    case "http-date":
      at = Date.parse(trimmed);
      break;
    case "rfc3339":
      // Date.parse takes any ISO-like text; RFC 3339 requires the date, the time and an offset.
      at = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(trimmed) ? Date.parse(trimmed) : NaN;
      break;
    case "duration":
      at = now + (parseGoDuration(trimmed) ?? NaN);
      break;
  }
  if (trimmed === "" || !Number.isFinite(at)) return undefined;
  return Math.min(Math.max(at, now), now + MAX_PAUSE_MS);
}
