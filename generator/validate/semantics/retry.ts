/**
 * retry: errorCodes (and notProcessed.errorCodes) are declared under errors.codes and not marked
 * retryable: false there; the backoff cap is not below its base.
 */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { parseDuration } from "../../common/duration.js";
import { dict, list, str, type Dict, type Report } from "./read.js";

export function checkRetry(doc: Dict, report: Report): void {
  const errors = dict(doc["errors"]);
  const codeMap = dict(errors?.["codes"]) ?? {};
  const codes = Object.keys(codeMap);
  const retry = dict(doc["retry"]);
  for (const where of [
    ["retry", "errorCodes"],
    ["retry", "notProcessed", "errorCodes"],
  ] as const) {
    const listed = where.length === 2 ? list(retry?.["errorCodes"]) : list(dict(retry?.["notProcessed"])?.["errorCodes"]);
    listed.forEach((code, index) => {
      if (typeof code !== "string") return;
      if (codes.length > 0 && !codes.includes(code)) {
        report(
          [...where, index],
          DiagnosticCode.InconsistentSection,
          `${where.join(".")} names "${code}", which errors.codes does not declare${didYouMean(code, codes)}`,
          { severity: "warning" },
        );
      }
      // The pipeline follows errors.codes.<code>.retryable; a retry list that says otherwise would be a lie.
      if (dict(codeMap[code])?.["retryable"] === false) {
        report(
          [...where, index],
          DiagnosticCode.InconsistentSection,
          `${where.join(".")} retries "${code}", but errors.codes.${code}.retryable is false: the two cannot disagree`,
        );
      }
    });
  }
  const backoff = dict(dict(doc["retry"])?.["backoff"]);
  const base = str(backoff?.["base"]);
  const cap = str(backoff?.["cap"]);
  if (base !== undefined && cap !== undefined && toMs(base) > toMs(cap)) {
    report(["retry", "backoff", "cap"], DiagnosticCode.InconsistentSection, `retry.backoff.cap (${cap}) is smaller than base (${base})`);
  }
}

function toMs(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    return NaN;
  }
}
