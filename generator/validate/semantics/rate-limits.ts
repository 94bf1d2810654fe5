/**
 * rateLimits: a bucket's appliesTo.groups name groups that some inline operation is in; limits that
 * cannot work as written are warned about, each with its own code (all warnings: the spec still
 * generates, and a client option can repair most of them):
 * - SB3012: counts without a reset are never used, a family without a limit header cannot refill a
 *   learned bucket, a bucket follows an undeclared family, a minimum wait longer than the retry's
 *   maximum fails every such answer at once;
 * - SB3015: a bucket mirrors a `resource` its family has no header to name, so no count ever reaches it;
 * - SB3016: a reset header the declared format cannot read (Retry-After, a `-ms` header, one header in
 *   two roles);
 * - SB3017: a bucket grants fewer than one request per maxQueueWait, so every request that queues fails;
 * - SB3018: a wait the call's deadline (the runtime's default total timeout) always ends first;
 * - SB3019: a weighted cost read from a field no operation's request body has;
 * - SB3020: a limitedWhen that narrows nothing (429 always counts) or that matches a code errors.codes
 *   says is not retryable (a rate-limited answer is always retried after its wait).
 */
import { DiagnosticCode } from "../../diagnostics.js";
import { parseDuration } from "../../common/duration.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { parseJsonPath } from "../../common/json-path.js";
import { operationGroup } from "../../common/operation-names.js";
import { DEFAULTS, RUNTIME_DEFAULTS } from "../../common/defaults.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";

export function checkRateLimits(doc: Dict, report: Report): void {
  const operations = entries(dict(doc["operations"])?.["inline"]);
  const groupNames = new Set<string>();
  for (const [, raw] of operations) {
    const op = dict(raw);
    if (op) groupNames.add(operationGroup(op));
  }
  checkWorkable(doc, report);
  checkResources(doc, report);
  checkResetFormats(doc, report);
  checkWaits(doc, report);
  checkCostFields(doc, report);
  checkLimitedWhen(doc, report);
  for (const [name, bucket] of entries(dict(doc["rateLimits"])?.["buckets"])) {
    list(dict(dict(bucket)?.["appliesTo"])?.["groups"]).forEach((group, index) => {
      if (typeof group === "string" && operations.length > 0 && !groupNames.has(group)) {
        report(
          ["rateLimits", "buckets", name, "appliesTo", "groups", index],
          DiagnosticCode.UnknownBucket,
          `bucket "${name}" applies to group "${group}", but no operation is in that group${didYouMean(group, groupNames)}`,
          { severity: "warning" },
        );
      }
    });
  }
}

function checkWorkable(doc: Dict, report: Report): void {
  const section = dict(doc["rateLimits"]);
  if (!section) return;
  const buckets = entries(section["buckets"]);
  const families: [string, Dict, (string | number)[]][] = [];
  const headers = dict(section["headers"]);
  if (headers) families.push(["requests", headers, ["rateLimits", "headers"]]);
  for (const [name, raw] of entries(section["families"])) {
    const family = dict(raw);
    if (family) families.push([name, family, ["rateLimits", "families", name]]);
  }
  const warn = (path: (string | number)[], message: string): void =>
    report(path, DiagnosticCode.UnworkableRateLimit, message, { severity: "warning" });
  for (const [name, family, path] of families) {
    const counts = family["remaining"] !== undefined || family["used"] !== undefined;
    if (counts && family["reset"] === undefined) {
      warn(
        path,
        `rate-limit headers "${name}" declare a count but no reset: without one the client cannot tell when the count ends, so it never uses it`,
      );
    }
    const followed = buckets.some(([, b]) => (dict(b)?.["family"] ?? "requests") === name);
    if (counts && family["limit"] === undefined && !followed) {
      warn(
        path,
        `rate-limit headers "${name}" have no limit header and no bucket follows them: after a reset the client knows nothing of the limit until the next answer`,
      );
    }
  }
  for (const [name, raw] of buckets) {
    const family = dict(raw)?.["family"];
    if (typeof family === "string" && family !== "requests" && !families.some(([n]) => n === family)) {
      warn(
        ["rateLimits", "buckets", name, "family"],
        `bucket "${name}" follows the header family "${family}", which rateLimits.families does not declare`,
      );
    }
  }
  const minWait = section["minWait"];
  const maxWait = dict(dict(doc["retry"])?.["retryAfter"])?.["maxWait"];
  if (typeof minWait === "string" && typeof maxWait === "string" && parseDuration(minWait) > parseDuration(maxWait)) {
    warn(
      ["rateLimits", "minWait"],
      `minWait ${minWait} is longer than retry.retryAfter.maxWait ${maxWait}: every rate-limited answer without a wait of its own fails at once`,
    );
  }
}

type Path = (string | number)[];

/** The declared header families: "requests" (rateLimits.headers) first, then rateLimits.families. */
function headerFamilies(section: Dict): [string, Dict, Path][] {
  const families: [string, Dict, Path][] = [];
  const headers = dict(section["headers"]);
  if (headers) families.push(["requests", headers, ["rateLimits", "headers"]]);
  for (const [name, raw] of entries(section["families"])) {
    const family = dict(raw);
    if (family) families.push([name, family, ["rateLimits", "families", name]]);
  }
  return families;
}

function ms(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return parseDuration(value);
  } catch {
    return undefined;
  }
}

/** A count whose resource header is absent has no resource, and a bucket with one only takes counts that name it. */
function checkResources(doc: Dict, report: Report): void {
  const section = dict(doc["rateLimits"]);
  if (!section) return;
  const families = headerFamilies(section);
  for (const [name, raw] of entries(section["buckets"])) {
    const bucket = dict(raw);
    if (typeof bucket?.["resource"] !== "string") continue;
    const familyName = str(bucket["family"]) ?? RUNTIME_DEFAULTS.bucketFamily;
    const family = families.find(([n]) => n === familyName)?.[1];
    if (family && typeof family["resource"] === "string") continue;
    const where = familyName === "requests" ? "rateLimits.headers" : `rateLimits.families.${familyName}`;
    report(
      ["rateLimits", "buckets", name, "resource"],
      DiagnosticCode.ResourceWithoutHeader,
      `bucket "${name}" mirrors the resource "${bucket["resource"]}", but ${where} declares no resource header: no answer can name a resource, so the provider's counts never reach this bucket`,
      { severity: "warning" },
    );
  }
}

/** Formats that can read a header carrying milliseconds, and the two forms of Retry-After (RFC 9110, 10.2.3). */
const MS_FORMATS: ReadonlySet<string> = new Set(["epoch-ms"]);
const RETRY_AFTER_FORMATS: ReadonlySet<string> = new Set(["seconds", "http-date"]);

function checkResetFormats(doc: Dict, report: Report): void {
  const section = dict(doc["rateLimits"]);
  if (!section) return;
  for (const [name, family, path] of headerFamilies(section)) {
    const reset = str(family["reset"]);
    if (reset === undefined) continue;
    const format = str(family["resetFormat"]) ?? DEFAULTS.rateLimits.resetFormat;
    const lower = reset.toLowerCase();
    const warn = (message: string, at = family["resetFormat"] === undefined ? "reset" : "resetFormat"): void =>
      report([...path, at], DiagnosticCode.ResetFormatMismatch, message, { severity: "warning" });
    const twin = (["limit", "remaining", "used", "resource"] as const).find((role) => str(family[role])?.toLowerCase() === lower);
    if (twin !== undefined) {
      warn(
        `rate-limit headers "${name}" read ${reset} as both the reset and the ${twin}: one header cannot carry a count and a time`,
        "reset",
      );
    } else if (lower === "retry-after" && !RETRY_AFTER_FORMATS.has(format)) {
      warn(
        `rate-limit headers "${name}" read Retry-After as ${format}, but it carries seconds from now or an HTTP date (RFC 9110, 10.2.3): resetFormat seconds or http-date`,
      );
    } else if (/(^|[-_])ms$/.test(lower) && !MS_FORMATS.has(format)) {
      warn(
        `rate-limit headers "${name}" read ${reset}, a header in milliseconds, as ${format}: every reset would be read 1,000 times too far off`,
      );
    }
  }
}

/** The cost of one request in a bucket's unit, when the spec fixes it (a family cost read from the request may be smaller). */
function requestCost(section: Dict, bucket: Dict): number {
  const family = str(bucket["family"]);
  if (family === undefined || family === "requests") return 1;
  const cost = dict(dict(dict(section["families"])?.[family])?.["cost"]);
  const fallback = cost?.["default"];
  return cost?.["request"] === undefined && typeof fallback === "number" && fallback > 0 ? fallback : 1;
}

/** Queue waits against each bucket's pace, and every wait against the deadline a call has by default. */
function checkWaits(doc: Dict, report: Report): void {
  const section = dict(doc["rateLimits"]);
  // A call's deadline: the runtime's default total timeout, raised by an operation's longer attempt timeout.
  let totalMs: number = RUNTIME_DEFAULTS.totalTimeoutMs;
  for (const [, raw] of entries(dict(doc["operations"])?.["inline"])) totalMs = Math.max(totalMs, ms(dict(raw)?.["timeout"]) ?? 0);
  const total = `the default total timeout (${RUNTIME_DEFAULTS.totalTimeoutMs / 60_000} min)`;
  const warn = (path: Path, code: DiagnosticCode, message: string): void => report(path, code, message, { severity: "warning" });
  for (const [name, raw] of entries(section?.["buckets"])) {
    const bucket = dict(raw);
    const rate = bucket?.["rate"];
    const per = ms(bucket?.["per"]);
    const queue = ms(bucket?.["maxQueueWait"] ?? DEFAULTS.rateLimits.maxQueueWait);
    if (!bucket || typeof rate !== "number" || rate <= 0 || per === undefined || queue === undefined) continue;
    const interval = (per / rate) * requestCost(section!, bucket);
    if (interval > queue) {
      warn(
        ["rateLimits", "buckets", name, bucket["maxQueueWait"] === undefined ? "rate" : "maxQueueWait"],
        DiagnosticCode.BucketSlowerThanQueueWait,
        `bucket "${name}" grants one request every ${formatMs(interval)}, longer than its maxQueueWait (${formatMs(queue)}): every request that has to queue fails with RateLimitError instead of waiting; raise maxQueueWait to at least ${formatMs(Math.ceil(interval))}`,
      );
    }
    if (queue > totalMs) {
      warn(
        ["rateLimits", "buckets", name, "maxQueueWait"],
        DiagnosticCode.WaitPastDeadline,
        `bucket "${name}" lets a request queue for ${formatMs(queue)}, but ${total} ends the call first`,
      );
    }
  }
  const minWait = ms(section?.["minWait"]);
  if (minWait !== undefined && minWait > totalMs) {
    warn(
      ["rateLimits", "minWait"],
      DiagnosticCode.WaitPastDeadline,
      `minWait ${formatMs(minWait)} is longer than ${total}: no call can sit through it`,
    );
  }
  const maxWait = ms(dict(dict(doc["retry"])?.["retryAfter"])?.["maxWait"]);
  if (maxWait !== undefined && maxWait > totalMs) {
    warn(
      ["retry", "retryAfter", "maxWait"],
      DiagnosticCode.WaitPastDeadline,
      `retry.retryAfter.maxWait ${formatMs(maxWait)} is longer than ${total}: a longer Retry-After ends the call at its deadline rather than failing at once with retryAt`,
    );
  }
}

function formatMs(value: number): string {
  if (value >= 60_000 && value % 60_000 === 0) return `${value / 60_000} min`;
  if (value >= 1000) return `${Math.round(value / 100) / 10} s`;
  return `${Math.round(value)} ms`;
}

/**
 * A family's request cost names a body field: some inline operation's request body schema must have it
 * (its first segment, through $ref, allOf, anyOf and oneOf). Skipped when operations are imported (their
 * bodies are read later) or when a body schema does not list its properties.
 */
function checkCostFields(doc: Dict, report: Report): void {
  const section = dict(doc["rateLimits"]);
  const operations = dict(doc["operations"]);
  if (!section || !operations || operations["import"] !== undefined) return;
  const schemas = dict(operations["schemas"]) ?? {};
  const fields = new Set<string>();
  let opaque = false;
  const collect = (schema: unknown, depth: number): void => {
    const node = dict(schema);
    if (!node || depth > 8) return;
    const ref = str(node["$ref"]);
    if (ref !== undefined) {
      const match = /^#\/operations\/schemas\/([^/]+)$/.exec(ref);
      if (match) collect(schemas[match[1]!], depth + 1);
      else opaque = true;
      return;
    }
    const properties = dict(node["properties"]);
    for (const key of Object.keys(properties ?? {})) fields.add(key);
    const parts = [...list(node["allOf"]), ...list(node["anyOf"]), ...list(node["oneOf"])];
    for (const part of parts) collect(part, depth + 1);
    if (!properties && parts.length === 0) opaque = true;
  };
  let bodies = 0;
  for (const [, raw] of entries(operations["inline"])) {
    const body = dict(dict(raw)?.["body"]);
    if (!body) continue;
    bodies += 1;
    if (body["schema"] === undefined) opaque = true;
    else collect(body["schema"], 0);
  }
  if (opaque) return;
  for (const [name, family, path] of headerFamilies(section)) {
    const request = str(dict(family["cost"])?.["request"]);
    const first = request === undefined ? undefined : parseJsonPath(request)[0];
    if (typeof first !== "string" || fields.has(first)) continue;
    report(
      [...path, "cost", "request"],
      DiagnosticCode.UnknownCostField,
      bodies === 0
        ? `rate-limit headers "${name}" read each request's cost from ${request}, but no operation sends a body: every request costs the default`
        : `rate-limit headers "${name}" read each request's cost from ${request}, but no operation's request body has "${first}": every request costs the default${didYouMean(first, fields)}`,
      { severity: "warning" },
    );
  }
}

function checkLimitedWhen(doc: Dict, report: Report): void {
  const codes = dict(dict(doc["errors"])?.["codes"]) ?? {};
  list(dict(doc["rateLimits"])?.["limitedWhen"]).forEach((raw, index) => {
    const matcher = dict(raw);
    if (!matcher) return;
    const path: Path = ["rateLimits", "limitedWhen", index];
    const status = matcher["status"];
    const statuses = Array.isArray(status) ? status : status === undefined ? [] : [status];
    if (statuses.length > 0 && statuses.every((s) => String(s) === "429")) {
      report(
        [...path, "status"],
        DiagnosticCode.IneffectiveLimitedWhen,
        "this limitedWhen matches only 429 answers, and every 429 already counts as rate limited: its other conditions narrow nothing",
        { severity: "warning" },
      );
    }
    const body = dict(matcher["body"]);
    const value = str(body?.["equals"]);
    if (value !== undefined && dict(codes[value])?.["retryable"] === false) {
      report(
        [...path, "body", "equals"],
        DiagnosticCode.IneffectiveLimitedWhen,
        `this limitedWhen makes answers with code "${value}" rate limited, which are always retried after their wait, but errors.codes.${value}.retryable is false: the two cannot disagree`,
        { severity: "warning" },
      );
    }
  });
}
