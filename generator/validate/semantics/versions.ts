/** versions: pinned and migration versions are supported ones; versions.send agrees with the URLs. */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { API_VERSION_PLACEHOLDER } from "../../common/operation-names.js";
import type { PathSegment } from "../../parse/parse.js";
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
    const name = str(send["name"]);
    if (send["in"] === "header" && name !== undefined) {
      // The version header and a credential's header are one header: one of the two would be lost.
      for (const [mode, header] of credentialHeaders(doc)) {
        if (header.toLowerCase() !== name.toLowerCase()) continue;
        report(
          ["versions", "send", "name"],
          DiagnosticCode.InconsistentSection,
          `versions.send names the header ${name}, which auth mode "${mode}" sends the credentials in: give the version header its own name`,
        );
      }
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
    list(dict(migration)?.["requests"]).forEach((change, i) =>
      checkRequestChange(dict(change), ["versions", "migrations", index, "requests", i], report),
    );
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

/**
 * A request change names one location (query, header or body), `to` exactly for a rename (a JSON path
 * for a body field) and `values` exactly for mapValue. Which operations and parameters it names is checked
 * by the operations stage, which knows the imported ones too.
 */
function checkRequestChange(change: Dict | undefined, at: PathSegment[], report: Report): void {
  if (!change) return;
  const locations = ["query", "header", "body"].filter((key) => change[key] !== undefined);
  if (locations.length !== 1)
    report(
      at,
      DiagnosticCode.InconsistentSection,
      locations.length === 0
        ? "a request change names the field it changes: query, header or body"
        : `a request change names one field, not ${locations.join(" and ")}`,
      { at: "key" },
    );
  const op = str(change["op"]);
  if (op === "rename" && change["to"] === undefined)
    report(at, DiagnosticCode.InconsistentSection, "a rename names the new name in to", { at: "key" });
  if (op !== "rename" && op !== undefined && change["to"] !== undefined)
    report([...at, "to"], DiagnosticCode.InconsistentSection, `to is read only by op rename, not ${op}`, { at: "key" });
  if (op === "mapValue" && change["values"] === undefined)
    report(at, DiagnosticCode.InconsistentSection, "a mapValue names its old -> new values in values", { at: "key" });
  if (op !== "mapValue" && op !== undefined && change["values"] !== undefined)
    report([...at, "values"], DiagnosticCode.InconsistentSection, `values is read only by op mapValue, not ${op}`, { at: "key" });
  const to = str(change["to"]);
  if (to !== undefined && locations[0] === "body" && !to.startsWith("$"))
    report([...at, "to"], DiagnosticCode.InconsistentSection, `a body field is renamed to a JSON path ($.${to}), not "${to}"`);
}

/** The header each auth mode sends its credentials in (query API keys send none). */
function credentialHeaders(doc: Dict): [string, string][] {
  const headers: [string, string][] = [];
  for (const [mode, raw] of entries(dict(doc["auth"])?.["modes"])) {
    const spec = dict(raw);
    const type = str(spec?.["type"]);
    if (type === "apiKey") {
      const name = str(spec?.["name"]);
      if (spec?.["in"] === "header" && name !== undefined) headers.push([mode, name]);
    } else if (type === "bearer" || type === "oauth2") headers.push([mode, str(spec?.["header"]) ?? "Authorization"]);
    else if (type === "basic" || type === "githubApp") headers.push([mode, "Authorization"]);
  }
  return headers;
}
