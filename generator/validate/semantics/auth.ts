/**
 * auth: the default mode (and every mode an operation names) exists; an authorizationCode grant has its
 * URL; tokenRequestParams are for declared grants and leave the protocol's own parameters alone, and
 * tokenRequestHeaders its own headers; tokenResponse.fields keep no token; revocationToken has a
 * revocationUrl and rotatingRefreshTokens a refreshToken grant;
 * defaultScopes are declared scopes.
 */
import { DiagnosticCode } from "../../diagnostics.js";
import { DEFAULTS } from "../../common/defaults.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { isJsonPath, parseJsonPath } from "../../common/json-path.js";
import type { PathSegment } from "../../parse/parse.js";
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

/** Headers of token requests the runtime sets itself; tokenRequestHeaders may not replace them. */
const RESERVED_TOKEN_HEADERS: ReadonlySet<string> = new Set(["content-type", "accept", "authorization", "content-length", "host"]);

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
      if (m["revocationToken"] !== undefined && m["revocationUrl"] === undefined) {
        report(
          ["auth", "modes", name, "revocationToken"],
          DiagnosticCode.InconsistentSection,
          `revocationToken says which token revocationUrl takes, and this mode declares no revocationUrl`,
        );
      }
      if (m["rotatingRefreshTokens"] !== undefined && !grants.includes("refreshToken")) {
        report(
          ["auth", "modes", name, "rotatingRefreshTokens"],
          DiagnosticCode.InconsistentSection,
          `rotatingRefreshTokens is about the refreshToken grant, which this mode does not declare in grants`,
        );
      }
      checkTokenRequestHeaders(["auth", "modes", name, "tokenRequestHeaders"], dict(m["tokenRequestHeaders"]), report);
      checkTokenResponseFields(["auth", "modes", name, "tokenResponse"], dict(m["tokenResponse"]), report);
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

/**
 * tokenResponse.fields name values beside the tokens: a path that is the whole answer, a token's path or
 * a path containing one would copy a token into what the application reads as plain fields.
 */
function checkTokenResponseFields(at: PathSegment[], tokenResponse: Dict | undefined, report: Report): void {
  const tokenPaths = [
    parseJsonPath(str(tokenResponse?.["accessTokenPath"]) ?? DEFAULTS.oauth2.accessTokenPath),
    parseJsonPath(str(tokenResponse?.["refreshTokenPath"]) ?? DEFAULTS.oauth2.refreshTokenPath),
  ];
  for (const [field, value] of entries(tokenResponse?.["fields"])) {
    const text = str(value);
    if (text === undefined || !isJsonPath(text)) continue; // the schema reports it
    const path = parseJsonPath(text);
    const holdsToken = tokenPaths.some((token) => path.length <= token.length && path.every((segment, i) => segment === token[i]));
    if (holdsToken) {
      report(
        [...at, "fields", field],
        DiagnosticCode.InconsistentSection,
        path.length === 0
          ? `tokenResponse.fields.${field} cannot be $: the whole answer holds the tokens`
          : `tokenResponse.fields.${field} (${text}) holds the access or refresh token; fields keep the answer's other values`,
      );
    }
  }
}

/** tokenRequestHeaders leave the runtime's own headers alone and name each header once, whatever its case. */
function checkTokenRequestHeaders(at: PathSegment[], headers: Dict | undefined, report: Report): void {
  const seen = new Map<string, string>();
  for (const name of Object.keys(headers ?? {})) {
    const lower = name.toLowerCase();
    if (RESERVED_TOKEN_HEADERS.has(lower)) {
      const instead = lower === "accept" ? " (use tokenResponse.accept)" : "";
      report(
        [...at, name],
        DiagnosticCode.InconsistentSection,
        `tokenRequestHeaders cannot set ${name}: the runtime sets it itself${instead}`,
      );
    } else if (seen.has(lower)) {
      report(
        [...at, name],
        DiagnosticCode.InconsistentSection,
        `tokenRequestHeaders names ${name} twice (also as ${seen.get(lower)}): header names ignore case`,
      );
    }
    seen.set(lower, name);
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

/** An operation's (or an import override's) auth names modes auth.modes declares. */
export function checkOperationAuth(doc: Dict, report: Report): void {
  const modes = Object.keys(dict(dict(doc["auth"])?.["modes"]) ?? {});
  const operations = dict(doc["operations"]);
  const places: [PathSegment[], unknown][] = [
    ...entries(operations?.["inline"]).map(([id, op]): [PathSegment[], unknown] => [
      ["operations", "inline", id, "auth"],
      dict(op)?.["auth"],
    ]),
    ...list(operations?.["import"]).flatMap((spec, i) =>
      entries(dict(spec)?.["overrides"]).map(([key, o]): [PathSegment[], unknown] => [
        ["operations", "import", i, "overrides", key, "auth"],
        dict(o)?.["auth"],
      ]),
    ),
  ];
  for (const [at, auth] of places)
    list(auth).forEach((mode, index) => {
      if (typeof mode !== "string" || modes.includes(mode)) return;
      report(
        [...at, index],
        DiagnosticCode.UnknownAuthMode,
        modes.length === 0
          ? `the operation is sent with the auth mode "${mode}", but the spec declares no auth modes`
          : `the operation is sent with the auth mode "${mode}", which is not declared under auth.modes${didYouMean(mode, modes)}`,
      );
    });
}
