/**
 * The rate limiter's buckets as the provider's header families move them (the header-sync part,
 * header-sync.ts, passes `familySync` to the limiter): a declared bucket lowered by its family's counts,
 * a bucket learned from the headers alone for a family (or a resource of it) that no declared bucket
 * mirrors, counts and actual costs read from answers, and a pause of the learned buckets. A limiter
 * without header families ships none of this.
 */
import type { ProviderAllowance } from "./provider-allowance.js";
import type {
  BucketGate,
  BucketPolicy,
  FamilyPolicy,
  FamilySync,
  LimiterGates,
  Permit,
  ProviderCount,
  RateLimiterOptions,
} from "./rate-limit.js";

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
  readonly #learned = new Map<string, BucketGate>();
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

  allowance(policy: BucketPolicy, learned: boolean): ProviderAllowance | undefined {
    const family = this.#families.get(policy.family ?? "requests");
    return family && this.#options.allowance!(family, learned);
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

  #learnedGate(family: string, resource: string | undefined): BucketGate {
    const name = resource === undefined ? `~${family}` : `~${family}:${resource}`;
    let gate = this.#learned.get(name);
    if (!gate) {
      const maxQueueWaitMs = this.#options.learnedQueueWaitMs ?? LEARNED_QUEUE_WAIT_MS;
      gate = this.#limiter.gate(
        name,
        { rate: Infinity, perMs: 1, maxQueueWaitMs, family, ...(resource !== undefined && { resource }) },
        true,
      );
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
        if (!gate || gate.family !== family) continue;
        if (count.resource === undefined ? gate.resource === undefined : gate.resource === count.resource) gate.sync(permit, count);
      }
    }
  }

  reprice(permits: readonly Permit[], costs: Readonly<Record<string, number>>): void {
    for (const permit of permits) {
      const gate = this.#limiter.gates.get(permit.bucket);
      const cost = gate && costs[gate.family];
      if (cost !== undefined) gate!.reprice(permit, cost);
    }
  }

  pauseLearned(until: number, resource: string | undefined): void {
    for (const gate of this.#learned.values()) if (resource === undefined || gate.resource === resource) gate.pause(until);
  }
}
