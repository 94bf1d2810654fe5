/** Evaluates the response matchers a spec declares (errors.when, rateLimits.limitedWhen). */
import type { BodyMatcher, ResponseMatcher, StatusPattern } from "../definition.js";
import { readPath } from "../internal/json-path.js";
import type { ResponseHeaders } from "../transport/transport.js";

export function statusMatches(status: number, patterns: readonly StatusPattern[]): boolean {
  return patterns.some((p) => (typeof p === "number" ? p === status : Math.floor(status / 100) === Number(p[0])));
}

export function bodyMatches(body: unknown, matcher: BodyMatcher): boolean {
  const value = readPath(body, matcher.path);
  if (matcher.exists !== undefined && (value !== undefined) !== matcher.exists) return false;
  if (matcher.equals !== undefined && value !== matcher.equals) return false;
  if (matcher.matches !== undefined && (typeof value !== "string" || !new RegExp(matcher.matches, "u").test(value))) return false;
  return true;
}

export function responseMatches(response: { status: number; headers: ResponseHeaders; body: unknown }, matcher: ResponseMatcher): boolean {
  if (matcher.status && !statusMatches(response.status, matcher.status)) return false;
  if (matcher.header) {
    const value = response.headers.get(matcher.header.name);
    if (matcher.header.present !== undefined && (value !== null) !== matcher.header.present) return false;
    if (matcher.header.equals !== undefined && value !== matcher.header.equals) return false;
  }
  if (matcher.body && !bodyMatches(response.body, matcher.body)) return false;
  return true;
}

/** Whether any of the matchers matches; a loop rather than `some`, so no closure per call on the hot path. */
export function anyResponseMatches(
  response: { status: number; headers: ResponseHeaders; body: unknown },
  matchers: readonly ResponseMatcher[],
): boolean {
  for (const matcher of matchers) if (responseMatches(response, matcher)) return true;
  return false;
}
