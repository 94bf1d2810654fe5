/**
 * The header-sync part of the client (../client/parts.ts): for a spec that declares rate-limit header
 * families (rateLimits.headers, rateLimits.families), the limiter reads the provider's counts on every
 * answer and keeps them per request in flight (ProviderAllowance), learns buckets from the headers alone,
 * and weighs requests by their cost. A spec without header families ships none of this.
 */
import type { AnswerSync, ClientParts } from "../client/parts.js";
import { familySync } from "./learned-buckets.js";
import { providerAllowance, type ProviderAllowance } from "./provider-allowance.js";
import type { FamilyPolicy } from "./rate-limit.js";
import {
  rateLimitFamilies,
  readAnswerCosts,
  readCosts,
  readProviderCounts,
  readsAnswerCosts,
  type RateLimitFamilies,
} from "./rate-limit-headers.js";

/** A family's allowance for one bucket (RateLimiterOptions.allowance). */
export function familyAllowance(family: FamilyPolicy, learned: boolean): ProviderAllowance {
  return providerAllowance(family.meaning, family.resolutionMs, learned);
}

/** What the rate-limit policy does with each answer to a call it throttled (HeaderSync.answered). */
export function answerSync(families: RateLimitFamilies): AnswerSync {
  const readsCosts = readsAnswerCosts(families);
  return (limiter, permits, response, now, operation) => {
    const counts = readProviderCounts(families, response.headers, now, response.body);
    // What the request actually cost, then the count (the policy gives the slots back after).
    const charged = readsCosts ? readAnswerCosts(families, response.headers, response.body) : undefined;
    if (charged) limiter.reprice(permits, charged);
    if (counts.length > 0) limiter.sync(permits, counts, operation);
    return counts;
  };
}

/** Header families (rateLimits.headers, rateLimits.families): the limiter follows the provider's counts. */
export const rateLimitHeaderSync: ClientParts = {
  headerSync: {
    families: rateLimitFamilies,
    readCosts,
    answered: answerSync,
    allowance: familyAllowance,
    familySync,
  },
};
