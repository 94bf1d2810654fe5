/** environments: at most one default, and one when there are several. */
import { DiagnosticCode } from "../../diagnostics.js";
import { dict, entries, type Dict, type Report } from "./read.js";

export function checkEnvironments(doc: Dict, report: Report): void {
  const environments = entries(doc["environments"]);
  const defaults = environments.filter(([, env]) => dict(env)?.["default"] === true);
  if (environments.length > 1 && defaults.length === 0) {
    report(
      ["environments"],
      DiagnosticCode.DefaultEnvironment,
      `${environments.length} environments and none is marked default: true (environments: ${environments.map(([n]) => n).join(", ")})`,
      { at: "key" },
    );
  }
  for (const [name] of defaults.slice(1)) {
    report(
      ["environments", name, "default"],
      DiagnosticCode.DefaultEnvironment,
      `only one environment may be the default; "${defaults[0]![0]}" already is`,
      { at: "key" },
    );
  }
}
