/**
 * errors (and every other response matcher): body patterns compile; kinds that look like a typo of a
 * common kind; a field's list of paths names each path once.
 */
import { closest } from "../../common/did-you-mean.js";
import { COMMON_ERROR_KINDS } from "../../common/error-kinds.js";
import { DiagnosticCode } from "../../diagnostics.js";
import type { PathSegment } from "../../parse/parse.js";
import { checkRegex, dict, entries, list, str, type Dict, type Report } from "./read.js";

/** A kind that is not common but is one typo away from one silently becomes a new provider kind: warn. */
function checkKind(path: PathSegment[], kind: string | undefined, report: Report): void {
  if (kind === undefined || (COMMON_ERROR_KINDS as readonly string[]).includes(kind)) return;
  // A kind that is not snake_case is already an error of the schema's: it becomes no kind at all.
  if (!/^[a-z][a-z0-9_]*$/.test(kind)) return;
  const near = closest(kind, COMMON_ERROR_KINDS);
  if (near === undefined) return;
  report(
    path,
    DiagnosticCode.LikelyKindTypo,
    `kind "${kind}" is not a common kind, so it becomes a provider kind of its own; did you mean "${near}"?`,
    {
      severity: "warning",
    },
  );
}

/** A path listed again in a field's list is tried for nothing (the earlier one gave nothing): warn, the spec still generates. */
function checkRepeatedPaths(fields: Dict | undefined, report: Report): void {
  for (const [field, paths] of entries(fields)) {
    const seen = new Map<string, number>();
    list(paths).forEach((path, i) => {
      if (typeof path !== "string") return;
      const first = seen.get(path);
      if (first === undefined) seen.set(path, i);
      else
        report(
          ["errors", "fields", field, i],
          DiagnosticCode.RepeatedPath,
          `errors.fields.${field}[${i}] repeats errors.fields.${field}[${first}] (${path}): it is tried once`,
          { severity: "warning" },
        );
    });
  }
}

export function checkErrors(doc: Dict, report: Report): void {
  const errors = dict(doc["errors"]);
  checkRepeatedPaths(dict(errors?.["fields"]), report);
  const matchers: [PathSegment[], unknown][] = [];
  list(errors?.["when"]).forEach((m, i) => matchers.push([["errors", "when", i], m]));
  list(dict(doc["rateLimits"])?.["limitedWhen"]).forEach((m, i) => matchers.push([["rateLimits", "limitedWhen", i], m]));
  list(errors?.["rules"]).forEach((m, i) => checkKind(["errors", "rules", i, "kind"], str(dict(m)?.["kind"]), report));
  for (const [code, entry] of entries(errors?.["codes"])) {
    checkKind(["errors", "codes", code, "kind"], str(dict(entry)?.["kind"]), report);
    const match = dict(dict(entry)?.["match"]);
    for (const key of ["message", "param"]) {
      const pattern = str(match?.[key]);
      if (pattern !== undefined) checkRegex(["errors", "codes", code, "match", key], pattern, report);
    }
    if (str(dict(dict(entry)?.["recovery"])?.["action"]) === "retrySameKey" && dict(dict(doc["retry"])?.["idempotency"]) === undefined) {
      report(
        ["errors", "codes", code, "recovery", "action"],
        DiagnosticCode.InconsistentSection,
        "retrySameKey repeats a request with the same idempotency key, but retry.idempotency declares no key",
      );
    }
  }
  for (const [path, matcher] of matchers) {
    const pattern = str(dict(dict(matcher)?.["body"])?.["matches"]);
    if (pattern !== undefined) checkRegex([...path, "body", "matches"], pattern, report);
  }
  for (const [name, mode] of entries(dict(doc["auth"])?.["modes"])) {
    const pattern = str(dict(dict(dict(mode)?.["tokenResponse"])?.["errorWhen"])?.["matches"]);
    if (pattern !== undefined) checkRegex(["auth", "modes", name, "tokenResponse", "errorWhen", "matches"], pattern, report);
  }
}
