/** errors (and every other response matcher): body patterns compile; kinds are not misspelt common kinds. */
import { DiagnosticCode } from "../../diagnostics.js";
import { closest } from "../../common/did-you-mean.js";
import { COMMON_ERROR_KINDS } from "../../common/error-kinds.js";
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
  // A kind outside the common ones is a provider kind (card_declined); one a typo away from a common
  // kind is most likely that kind misspelt, which would silently never match isRateLimitError & co.
  const kinds: [PathSegment[], unknown][] = [
    ...list(errors?.["rules"]).map((rule, i): [PathSegment[], unknown] => [["errors", "rules", i, "kind"], dict(rule)?.["kind"]]),
    ...entries(errors?.["codes"]).map(([code, c]): [PathSegment[], unknown] => [["errors", "codes", code, "kind"], dict(c)?.["kind"]]),
  ];
  for (const [path, kind] of kinds) {
    if (typeof kind !== "string" || (COMMON_ERROR_KINDS as readonly string[]).includes(kind)) continue;
    const near = closest(kind, COMMON_ERROR_KINDS);
    if (near !== undefined)
      report(
        path,
        DiagnosticCode.InconsistentSection,
        `"${kind}" is not a common error kind; did you mean "${near}"? (a new provider kind would never match ${near})`,
        {
          severity: "warning",
        },
      );
  }
}
