/**
 * The spec's rate-limit header families, as the client reads them: the "requests" family
 * (rateLimits.headers) and any further ones (rateLimits.families: OpenAI's tokens), each with its reset
 * format and meaning and what one request costs in its unit.
 */
import type { RateLimitBodyStateDefinition, RateLimitHeadersDefinition, RateLimitsDefinition } from "../definition.js";
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
      // A count from the body is a refilling bucket's: its reset is when it is full again.
      meaning: headers.body !== undefined ? "refill" : (headers.resetMeaning ?? "window"),
      resolutionMs: headers.body !== undefined ? BODY_RESOLUTION_MS : resetResolutionMs(headers.resetFormat),
      perResource: headers.resource !== undefined,
    },
  }));
}

/** A reset computed from a body's refill rate is exact to the ms, but the provider's clock may lag it a little. */
const BODY_RESOLUTION_MS = 10;

/**
 * Every family's count on an answer: from its headers, else (a family that declares `body`) from the
 * JSON answer body `body`, parsed only when such a family needs it.
 */
export function readProviderCounts(families: RateLimitFamilies, headers: ResponseHeaders, now: number, body?: string): ProviderCount[] {
  const counts: ProviderCount[] = [];
  let parsed: { readonly value: unknown } | undefined;
  for (const family of families) {
    let count = readProviderCount(headers, family.headers, now, family.policy.name);
    const state = family.headers.body;
    if (!count && state && body !== undefined) {
      parsed ??= { value: parseJson(body) };
      count = readBodyCount(parsed.value, state, now, family.policy.name);
    }
    if (count) counts.push(count);
  }
  return counts;
}

/** A refilling bucket's state in an answer body: full again after (limit - remaining) / refillPerSecond seconds. */
export function readBodyCount(body: unknown, state: RateLimitBodyStateDefinition, now: number, family?: string): ProviderCount | undefined {
  const number = (path: readonly (string | number)[]): number | undefined => {
    const value = readPath(body, path);
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  };
  const limit = number(state.limit);
  const remaining = number(state.remaining);
  const rate = number(state.refillPerSecond);
  if (limit === undefined || remaining === undefined || rate === undefined || limit <= 0 || rate <= 0) return undefined;
  const resetAt = now + Math.ceil((Math.max(0, limit - remaining) / rate) * 1000);
  return { remaining, limit, resetAt, resource: undefined, ...(family !== undefined && { family }) };
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
        parsed = parseJson(body);
      }
      value = readPath(parsed, cost.answer);
    }
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) (costs ??= {})[family.policy.name] = value;
  }
  return costs;
}
