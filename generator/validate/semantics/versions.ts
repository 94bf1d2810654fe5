/** versions: pinned and migration versions are supported ones; versions.send agrees with the URLs. */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { API_VERSION_PLACEHOLDER } from "../../common/operation-names.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";

export function checkVersions(doc: Dict, report: Report): void {
  const versions = dict(doc["versions"]);
  if (!versions) {
    const usesPlaceholder = entries(doc["environments"]).some(([, env]) =>
      str(dict(env)?.["baseUrl"])?.includes(`{${API_VERSION_PLACEHOLDER}}`),
    );
    if (usesPlaceholder)
      report(
        ["environments"],
        DiagnosticCode.InconsistentSection,
        `a base URL uses {${API_VERSION_PLACEHOLDER}} but the spec has no versions section`,
        { at: "key" },
      );
    return;
  }
  const supported = Object.keys(dict(versions["supported"]) ?? {});
  const pinned = str(versions["pinned"]);
  if (pinned !== undefined && supported.length > 0 && !supported.includes(pinned)) {
    report(
      ["versions", "pinned"],
      DiagnosticCode.UnknownVersion,
      `the pinned version "${pinned}" is not listed under versions.supported${didYouMean(pinned, supported)}`,
    );
  }
  const send = dict(versions["send"]);
  if (send) {
    if ((send["in"] === "header" || send["in"] === "query") && send["name"] === undefined) {
      report(["versions", "send"], DiagnosticCode.InconsistentSection, `versions.send with in: ${String(send["in"])} needs a name`, {
        at: "key",
      });
    }
    if (send["in"] === "path") {
      if (send["name"] !== undefined)
        report(
          ["versions", "send", "name"],
          DiagnosticCode.InconsistentSection,
          `versions.send with in: path takes no name; put {${API_VERSION_PLACEHOLDER}} in a base URL or path instead`,
          { at: "key" },
        );
      const placeholder = `{${API_VERSION_PLACEHOLDER}}`;
      const inBase = entries(doc["environments"]).every(([, env]) => str(dict(env)?.["baseUrl"])?.includes(placeholder));
      const operations = entries(dict(doc["operations"])?.["inline"]);
      // An import puts the placeholder in each of its paths through its rebase.
      const imports = list(dict(doc["operations"])?.["import"]);
      const inPaths =
        operations.length + imports.length > 0 &&
        operations.every(([, op]) => str(dict(op)?.["path"])?.includes(placeholder)) &&
        imports.every((imp) => str(dict(dict(imp)?.["rebase"])?.["to"])?.includes(placeholder));
      if (!inBase && !inPaths) {
        report(
          ["versions", "send", "in"],
          DiagnosticCode.InconsistentSection,
          `versions are sent in the path, but ${placeholder} is not in every base URL (or every operation path and import rebase.to)`,
        );
      }
    }
  }
  list(versions["migrations"]).forEach((migration, index) => {
    for (const end of ["from", "to"] as const) {
      const version = str(dict(migration)?.[end]);
      if (version !== undefined && supported.length > 0 && !supported.includes(version)) {
        report(
          ["versions", "migrations", index, end],
          DiagnosticCode.UnknownVersion,
          `migration ${end} version "${version}" is not listed under versions.supported${didYouMean(version, supported)}`,
        );
      }
    }
  });
}
