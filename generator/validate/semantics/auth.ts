/** auth: the default mode exists; an authorizationCode grant has its URL; defaultScopes are declared scopes. */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";

export function checkAuth(doc: Dict, report: Report): void {
  const auth = dict(doc["auth"]);
  const modes = Object.keys(dict(auth?.["modes"]) ?? {});
  const chosen = str(auth?.["default"]);
  if (chosen !== undefined && modes.length > 0 && !modes.includes(chosen)) {
    report(
      ["auth", "default"],
      DiagnosticCode.UnknownAuthMode,
      `auth.default names the mode "${chosen}", which is not declared under auth.modes${didYouMean(chosen, modes)}`,
    );
  }
  for (const [name, mode] of entries(auth?.["modes"])) {
    const m = dict(mode);
    if (m?.["type"] === "oauth2") {
      const grants = list(m["grants"]);
      if (grants.includes("authorizationCode") && m["authorizationUrl"] === undefined) {
        report(
          ["auth", "modes", name, "grants", grants.indexOf("authorizationCode")],
          DiagnosticCode.InconsistentSection,
          `the authorizationCode grant needs an authorizationUrl`,
        );
      }
    }
  }
}

/** An oauth2 mode's defaultScopes must be scopes it declares. */
export function checkDefaultScopes(doc: Dict, report: Report): void {
  for (const [name, mode] of entries(dict(doc["auth"])?.["modes"])) {
    const declared = Object.keys(dict(dict(mode)?.["scopes"]) ?? {});
    list(dict(mode)?.["defaultScopes"]).forEach((scope, index) => {
      if (typeof scope === "string" && !declared.includes(scope)) {
        report(
          ["auth", "modes", name, "defaultScopes", index],
          DiagnosticCode.InconsistentSection,
          `defaultScopes names "${scope}", which scopes does not declare${didYouMean(scope, declared)}`,
        );
      }
    });
  }
}
