/**
 * rateLimits: a bucket's appliesTo.groups name groups that some inline operation is in; limits that
 * cannot work as written are warned about (SB3012): counts without a reset are never used, a family
 * without a limit header cannot refill a learned bucket, a bucket follows an undeclared family, and a
 * minimum wait longer than the retry's maximum fails every such answer at once.
 */
import { DiagnosticCode } from "../../diagnostics.js";
import { parseDuration } from "../../common/duration.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { operationGroup } from "../../common/operation-names.js";
import { dict, entries, list, type Dict, type Report } from "./read.js";

export function checkRateLimits(doc: Dict, report: Report): void {
  const operations = entries(dict(doc["operations"])?.["inline"]);
  const groupNames = new Set<string>();
  for (const [, raw] of operations) {
    const op = dict(raw);
    if (op) groupNames.add(operationGroup(op));
  }
  checkWorkable(doc, report);
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
