/**
 * The client in parts, so an application ships only what its provider's spec uses (the same mechanism
 * as the webhook verifier's parts, ../webhooks/parts.ts). client-core.ts carries out what every spec
 * does; each part below adds one feature a spec may declare, and the generated `create<Provider>Core`
 * passes exactly the parts its spec needs (`clientPartsFor`). A definition used without a part it
 * needs is refused with a ConfigurationError, never run with that feature skipped.
 */
import type { ProviderDefinition, RateLimitsDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import type { ProviderAllowance } from "../policies/provider-allowance.js";
import type { FamilyPolicy, ProviderCount } from "../policies/rate-limit.js";
import type { RateLimitFamilies } from "../policies/rate-limit-headers.js";
import type { ResponseHeaders } from "../transport/transport.js";

/** Header sync: the provider's rate-limit headers read on every answer and kept per request in flight. */
export interface HeaderSync {
  /** The spec's header families, the "requests" family first. */
  readonly families: (rateLimits: RateLimitsDefinition) => RateLimitFamilies;
  /** Every family's count on an answer: its headers, else (families that declare `body`) its JSON body text. */
  readonly readCounts: (families: RateLimitFamilies, headers: ResponseHeaders, now: number, body?: string) => ProviderCount[];
  /** What a request costs per weighted family. */
  readonly readCosts: (families: RateLimitFamilies, body: unknown) => Readonly<Record<string, number>> | undefined;
  /** Whether some family reads what a request actually cost from its answer. */
  readonly readsAnswerCosts: (families: RateLimitFamilies) => boolean;
  /** What a request actually cost per family, as its answer reports. */
  readonly readAnswerCosts: (
    families: RateLimitFamilies,
    headers: ResponseHeaders,
    body: string,
  ) => Readonly<Record<string, number>> | undefined;
  /** What a family's counts allow a bucket, per request in flight (`learned`: a bucket learned from headers alone, which probes first). */
  readonly allowance: (family: FamilyPolicy, learned: boolean) => ProviderAllowance;
}

/** What the parts add to the client core; each exported part fills some of these. */
export interface ClientParts {
  readonly headerSync?: HeaderSync;
}

/** The contract's exported parts, by name, and whether a definition needs each. */
const NEEDS = {
  rateLimitHeaderSync: (d: ProviderDefinition) => d.rateLimits.headers !== undefined || (d.rateLimits.families ?? []).length > 0,
} as const;

export type ClientPartName = keyof typeof NEEDS;

/** The hooks each part must bring (checked when the parts are merged). */
const HOOKS: Readonly<Record<ClientPartName, readonly (keyof ClientParts)[]>> = {
  rateLimitHeaderSync: ["headerSync"],
};

/** The names of the contract's parts a definition needs, in a fixed order (what the generator imports). */
export function clientPartsFor(definition: ProviderDefinition): ClientPartName[] {
  return (Object.keys(NEEDS) as ClientPartName[]).filter((name) => NEEDS[name](definition));
}

/** The parts merged into one, after checking the definition's needs are all met. */
export function mergeClientParts(definition: ProviderDefinition, parts: readonly ClientParts[]): ClientParts {
  const merged: ClientParts = parts.length === 1 ? parts[0]! : (Object.assign({}, ...parts) as ClientParts);
  for (const name of clientPartsFor(definition))
    if (HOOKS[name].some((hook) => merged[hook] === undefined))
      throw new ConfigurationError(`a ${definition.title} client needs the ${name} part (pass it to the ClientCore)`);
  return merged;
}
