/** retry: errorCodes are declared under errors.codes; the backoff cap is not below its base. */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { parseDuration } from "../../common/duration.js";
import { dict, list, str, type Dict, type Report } from "./read.js";

export function checkRetry(doc: Dict, report: Report): void {
  const errors = dict(doc["errors"]);
  const codes = Object.keys(dict(errors?.["codes"]) ?? {});
  list(dict(doc["retry"])?.["errorCodes"]).forEach((code, index) => {
    if (typeof code === "string" && codes.length > 0 && !codes.includes(code)) {
      report(
        ["retry", "errorCodes", index],
        DiagnosticCode.InconsistentSection,
        `retry.errorCodes names "${code}", which errors.codes does not declare${didYouMean(code, codes)}`,
        { severity: "warning" },
      );
    }
  });
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
