/** circuitBreaker: a threshold is consecutive or ratio, and the ratio-only fields come with a ratio. */
import { DiagnosticCode } from "../../diagnostics.js";
import { dict, type Dict, type Report } from "./read.js";

export function checkCircuitBreaker(doc: Dict, report: Report): void {
  const threshold = dict(dict(doc["circuitBreaker"])?.["threshold"]);
  if (threshold && threshold["consecutive"] !== undefined && threshold["ratio"] !== undefined) {
    report(
      ["circuitBreaker", "threshold"],
      DiagnosticCode.InconsistentSection,
      `circuitBreaker.threshold takes either consecutive or ratio, not both`,
      { at: "key" },
    );
  }
  if (threshold && threshold["ratio"] === undefined) {
    for (const key of ["window", "minRequests"]) {
      if (threshold[key] !== undefined)
        report(["circuitBreaker", "threshold", key], DiagnosticCode.InconsistentSection, `${key} only applies to a ratio threshold`, {
          at: "key",
        });
    }
  }
}
