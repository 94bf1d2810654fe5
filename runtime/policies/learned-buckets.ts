/**
 * The rate limiter's buckets as the provider's header families move them (the header-sync part,
 * header-sync.ts, passes `familySync` to the limiter): a declared bucket lowered by its family's counts,
 * a bucket learned from the headers alone for a family (or a resource of it) that no declared bucket
 * mirrors, counts and actual costs read from answers, and a pause of the learned buckets. A limiter
 * without header families ships none of this.
 */
import type { ProviderAllowance } from "./provider-allowance.js";
import {
  BucketGate,
  MAX_PAUSE_MS,
  type BucketPolicy,
  type FamilyPolicy,
  type FamilySync,
  type GatePermit,
  type LimiterGates,
  type Permit,
  type ProviderCount,
  type RateLimiterOptions,
} from "./rate-limit.js";
import type { RateLimitStore } from "./rate-limit-store.js";

const LEARNED_QUEUE_WAIT_MS = 30_000;

/** RateLimiterOptions.familySync: the limiter's families, over its gates. */
export function familySync(limiter: LimiterGates, options: RateLimiterOptions): FamilySync {
  return new LearnedBuckets(limiter, options);
}

class LearnedBuckets implements FamilySync {
  readonly #limiter: LimiterGates;
  readonly #options: RateLimiterOptions;
  readonly #families = new Map<string, FamilyPolicy>();
  /** Learned gates by "~family" or "~family:resource". */
  readonly #learned = new Map<string, SyncedGate>();
  /** The resource each operation's answers named, per family (GitHub: search, core, graphql...). */
  readonly #resources = new Map<string, string>();

  constructor(limiter: LimiterGates, options: RateLimiterOptions) {
    this.#limiter = limiter;
    this.#options = options;
    for (const family of options.families ?? []) this.#families.set(family.name, family);
  }

  start(): void {
    for (const family of this.#families.values()) {
      if (!family.perResource && !this.#declares(family.name, undefined)) this.#learnedGate(family.name, undefined);
    }
  }

  gate(name: string, policy: BucketPolicy, key: string, store: RateLimitStore, learned: boolean): BucketGate {
    const { provider, clock } = this.#options;
    const family = this.#families.get(policy.family ?? "requests");
    return family
      ? new SyncedGate(name, policy, key, provider, store, clock, this.#options.allowance!(family, learned), learned)
      : new BucketGate(name, policy, key, provider, store, clock);
  }

  providerLimit(bucket: string): number | undefined {
    const gate = this.#limiter.gates.get(bucket);
    return gate instanceof SyncedGate ? gate.providerLimit : undefined;
  }

  /** Whether a declared bucket follows this family's counts (of this resource). */
  #declares(family: string, resource: string | undefined): boolean {
    for (const policy of Object.values(this.#options.buckets)) {
      if ((policy.family ?? "requests") !== family) continue;
      // A count that names a resource syncs only a bucket of that resource (see sync): a bucket without
      // one (GitHub's write limits) does not mirror it, so the resource gets a learned bucket.
      if (resource === undefined || policy.resource === resource) return true;
    }
    return false;
  }

  #learnedGate(family: string, resource: string | undefined): SyncedGate {
    const name = resource === undefined ? `~${family}` : `~${family}:${resource}`;
    let gate = this.#learned.get(name);
    if (!gate) {
      const maxQueueWaitMs = this.#options.learnedQueueWaitMs ?? LEARNED_QUEUE_WAIT_MS;
      gate = this.#limiter.gate(
        name,
        { rate: Infinity, perMs: 1, maxQueueWaitMs, family, ...(resource !== undefined && { resource }) },
        true,
      ) as SyncedGate;
      this.#learned.set(name, gate);
      this.#limiter.gates.set(name, gate);
    }
    return gate;
  }

  route(gates: BucketGate[], operation: string | undefined): void {
    for (const family of this.#families.values()) {
      if (!family.perResource) {
        const gate = this.#learned.get(`~${family.name}`);
        if (gate) gates.push(gate);
        continue;
      }
      const resource = operation === undefined ? undefined : this.#resources.get(`${family.name}|${operation}`);
      if (resource !== undefined && !this.#declares(family.name, resource)) gates.push(this.#learnedGate(family.name, resource));
    }
  }

  sync(permits: readonly Permit[], counts: readonly ProviderCount[], operation: string | undefined): void {
    for (const count of counts) {
      const family = count.family ?? "requests";
      const policy = this.#families.get(family);
      if (policy?.perResource && count.resource !== undefined && operation !== undefined && !this.#declares(family, count.resource)) {
        this.#resources.set(`${family}|${operation}`, count.resource);
        const gate = this.#learnedGate(family, count.resource);
        // The request did not hold a slot of it (its resource was not known yet): the count still teaches it.
        if (!permits.some((permit) => permit.bucket === gate.name)) gate.learn(count);
      }
      for (const permit of permits) {
        const gate = this.#limiter.gates.get(permit.bucket);
        if (!(gate instanceof SyncedGate) || gate.family !== family) continue;
        if (count.resource === undefined ? gate.resource === undefined : gate.resource === count.resource) gate.sync(permit, count);
      }
    }
  }

  reprice(permits: readonly Permit[], costs: Readonly<Record<string, number>>): void {
    for (const permit of permits) {
      const gate = this.#limiter.gates.get(permit.bucket);
      const cost = gate && costs[gate.family];
      if (cost === undefined) continue;
      if (gate instanceof SyncedGate) gate.reprice(permit, cost);
      else (permit as GatePermit).cost = cost;
    }
  }

  pauseLearned(until: number, resource: string | undefined): void {
    for (const gate of this.#learned.values()) if (resource === undefined || gate.resource === resource) gate.pause(until);
  }
}

/**
 * A bucket that a header family lowers: what the provider's counts allow (ProviderAllowance, per request
 * in flight) on top of the local bucket, or, for a bucket learned from the headers alone, in its place.
 */
class SyncedGate extends BucketGate {
  readonly #allowance: ProviderAllowance;
  /** Learned from headers alone: no local bucket, only the provider's counts. */
  readonly #learned: boolean;
  readonly #policy: BucketPolicy;
  readonly #key: string;
  readonly #store: RateLimitStore;

  constructor(
    name: string,
    policy: BucketPolicy,
    key: string,
    provider: string,
    store: RateLimitStore,
    clock: RateLimiterOptions["clock"],
    allowance: ProviderAllowance,
    learned: boolean,
  ) {
    super(name, policy, key, provider, store, clock);
    this.#allowance = allowance;
    this.#learned = learned;
    this.#policy = policy;
    this.#key = key;
    this.#store = store;
  }

  /** The provider's limit as its headers last reported it. */
  get providerLimit(): number | undefined {
    return this.#allowance.limit;
  }

  /** The provider's count first, then (unless learned) the local bucket. */
  protected override take(now: number, cost: number): number | Promise<number> {
    const providerWait = this.#allowance.wait(cost, now);
    // An answer in flight may prove its request counted already and free units before the reset.
    this.soft = providerWait !== 0 && this.#allowance.answersPending;
    if (providerWait !== 0) return providerWait;
    return this.#learned ? 0 : super.take(now, cost);
  }

  protected override started(permit: GatePermit): void {
    this.#allowance.started(permit);
  }

  protected override complete(permit: GatePermit, takenAt: number, now: number, cost: number): void | Promise<void> {
    this.#allowance.completed(permit, now);
    return this.#learned ? undefined : super.complete(permit, takenAt, now, cost);
  }

  override pause(until: number): void {
    const end = Math.min(until, this.clock.now() + MAX_PAUSE_MS);
    this.#allowance.pause(end);
    if (this.#learned) this.wake();
    else super.pause(end);
  }

  /** The provider's count, read from the answer to the request holding `permit`. */
  sync(permit: Permit, count: ProviderCount): void {
    const now = this.clock.now();
    const resetAt = Math.min(count.resetAt, now + MAX_PAUSE_MS);
    this.#allowance.answered(permit as GatePermit, { ...count, resetAt }, now);
    // When the headers describe this very bucket, the store lets their count pace it (the local estimate
    // still records each grant, for when the count lapses); the store gets the count less this process's
    // requests it may have missed. Otherwise the count only lowers what the local bucket allows.
    const snapshot = this.#learned ? undefined : this.#allowance.snapshot(now);
    if (snapshot && this.#allowance.describes(this.#policy.burst ?? this.#policy.rate, this.#policy.perMs)) {
      void this.#store.sync(this.#key, snapshot.free, snapshot.until, now);
    }
    this.wake();
  }

  /** The answer to the request holding `permit` said what it actually cost. */
  reprice(permit: Permit, cost: number): void {
    this.#allowance.reprice(permit as GatePermit, cost);
    (permit as GatePermit).cost = cost;
  }

  /** A count read from the answer to a request that held no slot of this bucket (sent before it was learned). */
  learn(count: ProviderCount): void {
    const now = this.clock.now();
    this.sync({ bucket: this.name, startedAt: now, cost: 0, completedAt: now, release() {} } as GatePermit, count);
  }
}
