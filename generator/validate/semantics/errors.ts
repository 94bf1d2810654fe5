/** errors (and every other response matcher): body patterns compile. */
import type { PathSegment } from "../../parse/parse.js";
import { checkRegex, dict, entries, list, str, type Dict, type Report } from "./read.js";

export function checkErrors(doc: Dict, report: Report): void {
  const errors = dict(doc["errors"]);
  const matchers: [PathSegment[], unknown][] = [];
  list(errors?.["when"]).forEach((m, i) => matchers.push([["errors", "when", i], m]));
  list(dict(doc["rateLimits"])?.["limitedWhen"]).forEach((m, i) => matchers.push([["rateLimits", "limitedWhen", i], m]));
  for (const [path, matcher] of matchers) {
    const pattern = str(dict(dict(matcher)?.["body"])?.["matches"]);
    if (pattern !== undefined) checkRegex([...path, "body", "matches"], pattern, report);
  }
  for (const [name, mode] of entries(dict(doc["auth"])?.["modes"])) {
    const pattern = str(dict(dict(dict(mode)?.["tokenResponse"])?.["errorWhen"])?.["matches"]);
    if (pattern !== undefined) checkRegex(["auth", "modes", name, "tokenResponse", "errorWhen", "matches"], pattern, report);
  }
}
