/** rateLimits: a bucket's appliesTo.groups name groups that some inline operation is in. */
import { DiagnosticCode } from "../../diagnostics.js";
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
