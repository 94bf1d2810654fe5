/**
 * The spec's rate-limit header families, as the client reads them: the "requests" family
 * (rateLimits.headers) and any further ones (rateLimits.families: OpenAI's tokens), each with its reset
 * format and meaning and what one request costs in its unit.
 */
import type { RateLimitHeadersDefinition, RateLimitsDefinition } from "../definition.js";
import { readPath } from "../internal/json-path.js";
import type { ResponseHeaders } from "../transport/transport.js";
import { readProviderCount, resetResolutionMs, type FamilyPolicy, type ProviderCount } from "./rate-limit.js";

export interface RateLimitFamily {
  readonly headers: RateLimitHeadersDefinition;
  readonly policy: FamilyPolicy;
}

export type RateLimitFamilies = readonly RateLimitFamily[];

export function rateLimitFamilies(rateLimits: RateLimitsDefinition): RateLimitFamilies {
  const all: [string, RateLimitHeadersDefinition][] = [];
  if (rateLimits.headers) all.push(["requests", rateLimits.headers]);
  for (const family of rateLimits.families ?? []) all.push([family.name, family]);
  return all.map(([name, headers]) => ({
    headers,
    policy: {
      name,
      meaning: headers.resetMeaning ?? "window",
      resolutionMs: resetResolutionMs(headers.resetFormat),
      perResource: headers.resource !== undefined,
    },
  }));
}

/** Every family's count on an answer (those whose headers say enough). */
export function readProviderCounts(families: RateLimitFamilies, headers: ResponseHeaders, now: number): ProviderCount[] {
  const counts: ProviderCount[] = [];
  for (const family of families) {
    const count = readProviderCount(headers, family.headers, now, family.policy.name);
    if (count) counts.push(count);
  }
  return counts;
}

/** What a request costs per weighted family: a positive number at the cost path of its body, else the default. */
export function readCosts(families: RateLimitFamilies, body: unknown): Readonly<Record<string, number>> | undefined {
  let costs: Record<string, number> | undefined;
  for (const family of families) {
    const cost = family.headers.cost;
    if (!cost) continue;
    const value = cost.request === undefined ? undefined : readPath(body, cost.request);
    (costs ??= {})[family.policy.name] = typeof value === "number" && Number.isFinite(value) && value > 0 ? value : cost.default;
  }
  return costs;
}

/** Whether any family reads what a request actually cost from its answer. */
export function readsAnswerCosts(families: RateLimitFamilies): boolean {
  return families.some((family) => family.headers.cost?.answer !== undefined || family.headers.cost?.answerHeader !== undefined);
}

/**
 * What the answer says the request actually cost, per family that declares where (a header, else a path
 * into the JSON body); a family whose answer does not say is left out. `body` is the answer's text, parsed
 * only when a family reads it.
 */
export function readAnswerCosts(
  families: RateLimitFamilies,
  headers: ResponseHeaders,
  body: string,
): Readonly<Record<string, number>> | undefined {
  let costs: Record<string, number> | undefined;
  let parsed: unknown;
  let read = false;
  for (const family of families) {
    const cost = family.headers.cost;
    if (!cost) continue;
    let value: unknown;
    if (cost.answerHeader !== undefined) {
      const text = headers.get(cost.answerHeader);
      if (text !== null && text.trim() !== "") value = Number(text);
    }
    if (value === undefined && cost.answer !== undefined) {
      if (!read) {
        read = true;
        try {
          parsed = body === "" ? undefined : JSON.parse(body);
        } catch {
          parsed = undefined;
        }
      }
      value = readPath(parsed, cost.answer);
    }
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) (costs ??= {})[family.policy.name] = value;
  }
  return costs;
}
