/**
 * The header-sync part of the client (../client/parts.ts): for a spec that declares rate-limit header
 * families (rateLimits.headers, rateLimits.families), the limiter reads the provider's counts on every
 * answer and keeps them per request in flight (ProviderAllowance), learns buckets from the headers alone,
 * and weighs requests by their cost. A spec without header families ships none of this.
 */
import type { ClientParts } from "../client/parts.js";
import { familySync } from "./learned-buckets.js";
import { providerAllowance, type ProviderAllowance } from "./provider-allowance.js";
import type { FamilyPolicy } from "./rate-limit.js";
import { rateLimitFamilies, readAnswerCosts, readCosts, readProviderCounts, readsAnswerCosts } from "./rate-limit-headers.js";

/** A family's allowance for one bucket (RateLimiterOptions.allowance). */
export function familyAllowance(family: FamilyPolicy, learned: boolean): ProviderAllowance {
  return providerAllowance(family.meaning, family.resolutionMs, learned);
}

/** Header families (rateLimits.headers, rateLimits.families): the limiter follows the provider's counts. */
export const rateLimitHeaderSync: ClientParts = {
  headerSync: {
    families: rateLimitFamilies,
    readCounts: readProviderCounts,
    readCosts,
    readsAnswerCosts,
    readAnswerCosts,
    allowance: familyAllowance,
    familySync,
  },
};
