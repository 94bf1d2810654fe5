/** variables: every {placeholder} in a base URL or auth URL is declared, every variable is used, defaults match patterns. */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { API_VERSION_PLACEHOLDER, pathPlaceholders } from "../../common/operation-names.js";
import type { PathSegment } from "../../parse/parse.js";
import { checkRegex, dict, entries, str, type Dict, type Report } from "./read.js";

/** Placeholders a URL may use besides declared variables, by where the URL is. */
const URL_BUILTINS = { baseUrl: [API_VERSION_PLACEHOLDER], installationTokenUrl: ["installationId"] } as const;
export function checkVariables(doc: Dict, report: Report): void {
  const declared = Object.keys(dict(doc["variables"]) ?? {});
  const used = new Set<string>();
  const urls: [PathSegment[], string, readonly string[]][] = [];
  for (const [name, env] of entries(doc["environments"])) {
    const url = str(dict(env)?.["baseUrl"]);
    if (url !== undefined) urls.push([["environments", name, "baseUrl"], url, URL_BUILTINS.baseUrl]);
  }
  for (const [name, mode] of entries(dict(doc["auth"])?.["modes"])) {
    for (const key of ["authorizationUrl", "tokenUrl", "revocationUrl", "installationTokenUrl"] as const) {
      const url = str(dict(mode)?.[key]);
      if (url !== undefined)
        urls.push([["auth", "modes", name, key], url, key === "installationTokenUrl" ? URL_BUILTINS.installationTokenUrl : []]);
    }
  }
  for (const [path, url, builtins] of urls) {
    for (const placeholder of pathPlaceholders(url)) {
      used.add(placeholder);
      if (builtins.includes(placeholder) || declared.includes(placeholder)) continue;
      report(
        path,
        DiagnosticCode.InconsistentSection,
        `{${placeholder}} in ${url} is not declared under variables${didYouMean(placeholder, declared)}`,
      );
    }
  }
  for (const [name, variable] of entries(doc["variables"])) {
    const v = dict(variable);
    const pattern = str(v?.["pattern"]);
    if (pattern !== undefined && checkRegex(["variables", name, "pattern"], pattern, report)) {
      const fallback = str(v?.["default"]);
      if (fallback !== undefined && !new RegExp(pattern, "u").test(fallback)) {
        report(
          ["variables", name, "default"],
          DiagnosticCode.InconsistentSection,
          `the default ${JSON.stringify(fallback)} does not match the pattern`,
        );
      }
    }
    if (!used.has(name)) {
      report(["variables", name], DiagnosticCode.InconsistentSection, `variable "${name}" is not used in any base URL or auth URL`, {
        at: "key",
        severity: "warning",
      });
    }
  }
}
