/**
 * auth: the default mode exists; an authorizationCode grant has its URL; tokenRequestParams are for
 * declared grants and leave the protocol's own parameters alone; defaultScopes are declared scopes.
 */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";

/** Token-request parameters the runtime fills from the request and the client; a spec may not replace them. */
const RESERVED_TOKEN_PARAMS: ReadonlySet<string> = new Set([
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "refresh_token",
  "scope",
  "client_id",
  "client_secret",
]);

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
      for (const [grant, params] of entries(m["tokenRequestParams"])) {
        if (!grants.includes(grant)) {
          report(
            ["auth", "modes", name, "tokenRequestParams", grant],
            DiagnosticCode.InconsistentSection,
            `tokenRequestParams.${grant} is for a grant this mode does not declare in grants`,
          );
        }
        for (const param of Object.keys(dict(params) ?? {})) {
          if (RESERVED_TOKEN_PARAMS.has(param)) {
            report(
              ["auth", "modes", name, "tokenRequestParams", grant, param],
              DiagnosticCode.InconsistentSection,
              `tokenRequestParams.${grant} cannot set ${param}: the runtime sends it from the request itself`,
            );
          }
        }
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
