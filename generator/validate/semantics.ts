/**
 * Stage 2b, semantic checks the JSON Schema cannot express: references resolve, names do not collide
 * once turned into identifiers, sections agree with each other. Written defensively: it runs even when
 * the schema found problems, so that one run reports everything.
 */
import { DiagnosticCode, type Diagnostic } from "../diagnostics.js";
import { closest, didYouMean } from "../common/did-you-mean.js";
import { COMMON_ERROR_KINDS } from "../common/error-kinds.js";
import { parseDuration } from "../common/duration.js";
import { memberName } from "../common/names.js";
import {
  API_VERSION_PLACEHOLDER,
  eventTypeName,
  operationGroup,
  operationName,
  paramsTypeName,
  pathPlaceholders,
  resourceClassName,
} from "../common/operation-names.js";
import type { PathSegment, SpecSource } from "../parse/parse.js";

type Dict = Record<string, unknown>;

function dict(value: unknown): Dict | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Dict) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Keys in source order (the order the author wrote them). */
function entries(value: unknown): [string, unknown][] {
  return Object.entries(dict(value) ?? {});
}

export function checkSemantics(source: SpecSource, document: unknown): Diagnostic[] {
  const doc = dict(document) ?? {};
  const out: Diagnostic[] = [];
  const report = (
    path: PathSegment[],
    code: Diagnostic["code"],
    message: string,
    options?: { at?: "key" | "value"; severity?: "error" | "warning" },
  ) => out.push(source.diagnostic(path, code, message, options));

  checkEnvironments(doc, report);
  checkVariables(doc, report);
  checkAuth(doc, report);
  checkOperations(doc, report);
  checkVersions(doc, report);
  checkWebhooks(doc, report);
  checkErrors(doc, report);
  checkDefaultScopes(doc, report);
  checkPolicies(doc, report);
  return out;
}

type Report = (
  path: PathSegment[],
  code: Diagnostic["code"],
  message: string,
  options?: { at?: "key" | "value"; severity?: "error" | "warning" },
) => void;

function checkEnvironments(doc: Dict, report: Report): void {
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

/** Placeholders a URL may use besides declared variables, by where the URL is. */
const URL_BUILTINS = { baseUrl: [API_VERSION_PLACEHOLDER], installationTokenUrl: ["installationId"] } as const;

function checkVariables(doc: Dict, report: Report): void {
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

function checkAuth(doc: Dict, report: Report): void {
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

/** Pagination written for imported operations: per override and per import rule. */
function checkImportedPagination(doc: Dict, report: Report): void {
  list(dict(doc["operations"])?.["import"]).forEach((raw, i) => {
    const spec = dict(raw);
    const base = ["operations", "import", i];
    const rule = dict(spec?.["pagination"]);
    if (rule)
      checkPagination(dict(rule["pagination"]), [...base, "pagination", "pagination"], `imported from ${String(spec?.["from"])}`, report);
    for (const [id, override] of entries(spec?.["overrides"])) {
      checkPagination(dict(dict(override)?.["pagination"]), [...base, "overrides", id, "pagination"], id, report);
    }
  });
}

function checkOperations(doc: Dict, report: Report): void {
  checkImportedPagination(doc, report);
  const buckets = Object.keys(dict(dict(doc["rateLimits"])?.["buckets"]) ?? {});
  const operations = entries(dict(doc["operations"])?.["inline"]);
  const seenGroups = new Map<string, string>();
  const seenMethods = new Map<string, string>();
  const seenParamsTypes = new Map<string, string>();
  const seenClasses = new Map<string, string>();
  const seenEndpoints = new Map<string, string>();
  const groupNames = new Set<string>();

  for (const [id, raw] of operations) {
    const op = dict(raw);
    if (!op) continue;
    const base = ["operations", "inline", id];
    const group = operationGroup(op);
    groupNames.add(group);
    const groupId = memberName(group);
    const firstGroup = seenGroups.get(groupId);
    if (firstGroup !== undefined && firstGroup !== group) {
      report(
        op["group"] !== undefined ? [...base, "group"] : [...base, "path"],
        DiagnosticCode.NameCollision,
        `group "${group}" and group "${firstGroup}" both become client.${groupId}; rename one`,
      );
    } else {
      seenGroups.set(groupId, group);
      const className = resourceClassName(group);
      const firstClass = seenClasses.get(className);
      if (firstClass !== undefined && firstClass !== group) {
        report(
          op["group"] !== undefined ? [...base, "group"] : [...base, "path"],
          DiagnosticCode.NameCollision,
          `group "${group}" and group "${firstClass}" both become the class ${className}; rename one`,
        );
      } else {
        seenClasses.set(className, group);
      }
    }
    const name = operationName(id, op, group);
    const methodKey = `${groupId}.${memberName(name)}`;
    const firstMethod = seenMethods.get(methodKey);
    if (firstMethod !== undefined) {
      report(
        op["name"] !== undefined ? [...base, "name"] : base,
        DiagnosticCode.NameCollision,
        `operation "${id}" and operation "${firstMethod}" both become client.${methodKey}(); give one a different name`,
        // The name written in the spec is what collides; without one, the operation id is.
        { at: op["name"] !== undefined ? "value" : "key" },
      );
    } else {
      seenMethods.set(methodKey, id);
      const paramsType = paramsTypeName(group, name);
      const firstType = seenParamsTypes.get(paramsType);
      // Only operations with parameters or a body get a params type.
      if (takesParams(op) && firstType !== undefined) {
        report(
          base,
          DiagnosticCode.NameCollision,
          `operation "${id}" and operation "${firstType}" both need the type ${paramsType}; rename one`,
          {
            at: "key",
          },
        );
      } else if (takesParams(op)) {
        seenParamsTypes.set(paramsType, id);
      }
    }

    const method = str(op["method"]);
    const path = str(op["path"]);
    if (method !== undefined && path !== undefined) {
      const endpoint = `${method} ${path.replace(/\{[^{}]*\}/g, "{}")}`;
      const first = seenEndpoints.get(endpoint);
      if (first !== undefined) {
        report(
          base,
          DiagnosticCode.DuplicateOperationId,
          `operation "${id}" is the same endpoint (${method} ${path}) as operation "${first}"`,
          { at: "key" },
        );
      } else {
        seenEndpoints.set(endpoint, id);
      }
      checkPathParameters(base, path, op, report);
    }

    list(op["buckets"]).forEach((bucket, index) => {
      if (typeof bucket === "string" && !buckets.includes(bucket)) {
        const known = buckets.length > 0 ? ` (declared: ${buckets.join(", ")})` : " (rateLimits.buckets declares none)";
        report(
          [...base, "buckets", index],
          DiagnosticCode.UnknownBucket,
          `operation "${id}" takes from bucket "${bucket}", which is not declared${didYouMean(bucket, buckets) || known}`,
        );
      }
    });

    // Declared parameters, then path placeholders nobody declared (they become implicit parameters).
    const declared = dict(op["params"]) ?? {};
    const implicit =
      path === undefined ? [] : pathPlaceholders(path).filter((p) => p !== API_VERSION_PLACEHOLDER && !Object.hasOwn(declared, p));
    const seenProps = new Map<string, string>();
    for (const [param, where] of [
      ...Object.keys(declared).map((p) => [p, "params"] as const),
      ...implicit.map((p) => [p, "path"] as const),
    ]) {
      const prop = memberName(param);
      const first = seenProps.get(prop);
      const label = where === "path" ? `path parameter {${param}}` : `parameter "${param}"`;
      if (first !== undefined) {
        report(
          where === "path" ? [...base, "path"] : [...base, "params", param],
          DiagnosticCode.NameCollision,
          `${label} and ${first} both become the property ${prop}`,
          { at: where === "path" ? "value" : "key" },
        );
      } else {
        seenProps.set(prop, label);
      }
    }
    checkPagination(dict(op["pagination"]), [...base, "pagination"], id, report);
    checkPaginationInBody(dict(op["pagination"]), op["body"] !== undefined, [...base, "pagination"], id, report);
    for (const [param, spec] of Object.entries(declared)) {
      const p = dict(spec);
      if (p?.["style"] !== undefined && p["in"] !== "query") {
        report(
          [...base, "params", param, "style"],
          DiagnosticCode.InconsistentSection,
          `parameter "${param}" is not in the query; style applies only to query parameters`,
        );
      }
    }
    if (op["body"] !== undefined && seenProps.has("body")) {
      const label = seenProps.get("body")!;
      const param = Object.keys(declared).find((p) => memberName(p) === "body");
      report(
        param !== undefined ? [...base, "params", param] : [...base, "path"],
        DiagnosticCode.NameCollision,
        `${label} becomes the property body, which the request body already uses`,
        { at: param !== undefined ? "key" : "value" },
      );
    }
  }

  for (const [name, bucket] of entries(dict(doc["rateLimits"])?.["buckets"])) {
    list(dict(dict(bucket)?.["appliesTo"])?.["groups"]).forEach((group, index) => {
      if (typeof group === "string" && operations.length > 0 && !groupNames.has(group)) {
        report(
          ["rateLimits", "buckets", name, "appliesTo", "groups", index],
          DiagnosticCode.UnknownBucket,
          `bucket "${name}" applies to group "${group}", but no operation is in that group${didYouMean(group, groupNames)}`,
          { severity: "warning" },
        );
      }
    });
  }
}

/** Whether the emitter generates a params type for the operation (it has parameters or a body). */
function takesParams(op: Dict): boolean {
  const path = str(op["path"]) ?? "";
  return (
    Object.keys(dict(op["params"]) ?? {}).length > 0 ||
    op["body"] !== undefined ||
    pathPlaceholders(path).some((p) => p !== API_VERSION_PLACEHOLDER)
  );
}

function checkPathParameters(base: PathSegment[], path: string, op: Dict, report: Report): void {
  const placeholders = pathPlaceholders(path);
  const seen = new Set<string>();
  for (const placeholder of placeholders) {
    if (seen.has(placeholder))
      report([...base, "path"], DiagnosticCode.PathParameterMismatch, `path parameter {${placeholder}} appears twice in ${path}`);
    seen.add(placeholder);
    const declared = dict(dict(op["params"])?.[placeholder]);
    if (declared && declared["in"] !== "path") {
      report(
        [...base, "params", placeholder, "in"],
        DiagnosticCode.PathParameterMismatch,
        `"${placeholder}" is a placeholder in the path ${path} but is declared in: ${String(declared["in"])}`,
      );
    }
  }
  for (const [name, param] of entries(op["params"])) {
    // A declared {apiVersion} gets its own message below, not a second one about the path.
    if (dict(param)?.["in"] === "path" && !seen.has(name) && name !== API_VERSION_PLACEHOLDER) {
      report(
        [...base, "params", name],
        DiagnosticCode.PathParameterMismatch,
        `path parameter "${name}" does not appear in the path ${path}${didYouMean(name, seen)}`,
        { at: "key" },
      );
    }
    if (name === API_VERSION_PLACEHOLDER && dict(param)?.["in"] === "path") {
      report(
        [...base, "params", name],
        DiagnosticCode.PathParameterMismatch,
        `{${API_VERSION_PLACEHOLDER}} is filled from the versions section; do not declare it as a parameter`,
        { at: "key" },
      );
    }
  }
}

function checkVersions(doc: Dict, report: Report): void {
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
      const inPaths = operations.length > 0 && operations.every(([, op]) => str(dict(op)?.["path"])?.includes(placeholder));
      if (!inBase && !inPaths) {
        report(
          ["versions", "send", "in"],
          DiagnosticCode.InconsistentSection,
          `versions are sent in the path, but ${placeholder} is not in every base URL (or every operation path)`,
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

const PUBLIC_KEY_ALGORITHMS = new Set(["ed25519", "ecdsa-p256-sha256"]);
const PUBLIC_KEY_ENCODINGS = new Set(["pem-public-key", "base64-spki", "hex-public-key", "jwk"]);

function checkWebhooks(doc: Dict, report: Report): void {
  const webhooks = dict(doc["webhooks"]);
  const signature = dict(webhooks?.["signature"]);
  if (signature) {
    const base = ["webhooks", "signature"];
    const format = dict(signature["format"]);
    const style = format?.["style"];
    if (style === "keyValue" && format?.["signatureKey"] === undefined)
      report([...base, "format"], DiagnosticCode.InconsistentSection, `format style keyValue needs signatureKey (e.g. v1)`, { at: "key" });
    if (style === "versionedList" && format?.["version"] === undefined)
      report([...base, "format"], DiagnosticCode.InconsistentSection, `format style versionedList needs version (e.g. v1)`, { at: "key" });
    for (const key of ["prefix", "separator", "timestampKey", "signatureKey", "version"]) {
      const allowed =
        style === "single"
          ? ["prefix"]
          : style === "keyValue"
            ? ["separator", "timestampKey", "signatureKey"]
            : style === "versionedList"
              ? ["version"]
              : [key];
      if (format?.[key] !== undefined && !allowed.includes(key))
        report([...base, "format", key], DiagnosticCode.InconsistentSection, `${key} does not apply to format style ${String(style)}`, {
          at: "key",
        });
    }
    const hasTimestamp = signature["timestampHeader"] !== undefined || (style === "keyValue" && format?.["timestampKey"] !== undefined);
    list(signature["content"]).forEach((part, index) => {
      if (part === "timestamp" && !hasTimestamp)
        report(
          [...base, "content", index],
          DiagnosticCode.InconsistentSection,
          `the signed content uses the timestamp, but no timestampHeader or format.timestampKey says where it is`,
        );
      if (part === "id" && signature["idHeader"] === undefined)
        report(
          [...base, "content", index],
          DiagnosticCode.InconsistentSection,
          `the signed content uses the message id, but no idHeader says where it is`,
        );
    });
    if (signature["tolerance"] !== undefined && !hasTimestamp)
      report(
        [...base, "tolerance"],
        DiagnosticCode.InconsistentSection,
        `a tolerance needs a timestamp (timestampHeader or format.timestampKey)`,
        { at: "key" },
      );
    const content = list(signature["content"]);
    if (signature["tolerance"] !== undefined && hasTimestamp && !content.includes("timestamp"))
      report(
        [...base, "tolerance"],
        DiagnosticCode.InconsistentSection,
        `the tolerance is checked on a timestamp the signature does not cover: anyone can replay a captured delivery with a fresh timestamp; add timestamp to content`,
        { at: "key", severity: "warning" },
      );
    if (signature["timestampFormat"] !== undefined && !hasTimestamp)
      report(
        [...base, "timestampFormat"],
        DiagnosticCode.InconsistentSection,
        `timestampFormat needs a timestamp (timestampHeader or format.timestampKey)`,
        {
          at: "key",
        },
      );
    if (content.length > 0 && !content.includes("body") && !content.includes("sortedFormParams") && signature["bodyHash"] === undefined)
      report(
        [...base, "content"],
        DiagnosticCode.InconsistentSection,
        `the signed content leaves the body unsigned: an attacker who captured one delivery controls the whole payload (event type, id, data); add body to content`,
        { severity: "warning" },
      );
    list(signature["alternativeHeaders"]).forEach((set, index) => {
      const alternative = dict(set);
      for (const [key, needed] of [
        ["timestampHeader", signature["timestampHeader"] !== undefined],
        ["idHeader", signature["idHeader"] !== undefined],
      ] as const) {
        if (alternative && needed && alternative[key] === undefined)
          report(
            [...base, "alternativeHeaders", index],
            DiagnosticCode.InconsistentSection,
            `this header set needs ${key}: the first set has one`,
          );
        if (alternative && !needed && alternative[key] !== undefined)
          report(
            [...base, "alternativeHeaders", index, key],
            DiagnosticCode.InconsistentSection,
            `${key} is not used: the first set has none`,
            {
              at: "key",
            },
          );
      }
    });
    if (signature["bodyHash"] !== undefined && !content.includes("url"))
      report(
        [...base, "bodyHash"],
        DiagnosticCode.InconsistentSection,
        `a body hash in a URL parameter proves nothing unless the URL is signed: add url to content`,
        { at: "key" },
      );
    if (signature["urlDefaultPort"] !== undefined && !content.includes("url"))
      report([...base, "urlDefaultPort"], DiagnosticCode.InconsistentSection, `urlDefaultPort applies only when content has url`, {
        at: "key",
      });
    const algorithm = str(signature["algorithm"]);
    if (signature["algorithmFrom"] !== undefined && algorithm !== undefined && !algorithm.startsWith("hmac-"))
      report(
        [...base, "algorithmFrom"],
        DiagnosticCode.InconsistentSection,
        `algorithmFrom chooses among HMAC algorithms; ${algorithm} is not one`,
        {
          at: "key",
        },
      );
    const secretEncoding = str(signature["secretEncoding"]) ?? "raw";
    if (algorithm !== undefined && PUBLIC_KEY_ALGORITHMS.has(algorithm) !== PUBLIC_KEY_ENCODINGS.has(secretEncoding)) {
      report(
        [...base, signature["secretEncoding"] === undefined ? "algorithm" : "secretEncoding"],
        DiagnosticCode.InconsistentSection,
        PUBLIC_KEY_ALGORITHMS.has(algorithm)
          ? `${algorithm} verifies with a public key: secretEncoding must be pem-public-key, base64-spki, hex-public-key or jwk`
          : `${algorithm} uses a shared secret: secretEncoding ${secretEncoding} is for public keys`,
      );
    }
  }
  for (const [name, handshake] of entries(webhooks?.["handshakes"])) {
    const when = dict(dict(handshake)?.["when"]);
    const where = ["header", "query", "body"].filter((key) => when?.[key] !== undefined);
    if (when && where.length !== 1)
      report(
        ["webhooks", "handshakes", name, "when"],
        DiagnosticCode.InconsistentSection,
        `handshake "${name}": when names exactly one of header, query or body (found ${where.length === 0 ? "none" : where.join(", ")})`,
        { at: "key" },
      );
  }
  for (const key of ["eventId", "eventType", "apiVersion"]) {
    const value = webhooks?.[key];
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).forEach((location, index) => {
      const where = ["header", "body", "form"].filter((k) => dict(location)?.[k] !== undefined);
      if (dict(location) && where.length !== 1)
        report(
          Array.isArray(value) ? ["webhooks", key, index] : ["webhooks", key],
          DiagnosticCode.InconsistentSection,
          `${key} names exactly one of header, body or form (found ${where.length === 0 ? "none" : where.join(", ")})`,
        );
    });
  }
  const payloadEncoding = str(dict(webhooks?.["payload"])?.["encoding"]) ?? "json";
  for (const key of ["eventId", "eventType"]) {
    const value = webhooks?.[key];
    const locations: [PathSegment[], unknown][] = Array.isArray(value)
      ? value.map((v, i) => [["webhooks", key, i], v])
      : [[["webhooks", key], value]];
    for (const [path, location] of locations) {
      if (dict(location)?.["form"] !== undefined && payloadEncoding === "json")
        report([...path, "form"], DiagnosticCode.InconsistentSection, `a form field needs payload.encoding form or auto (it is json)`, {
          at: "key",
        });
    }
  }
  const seen = new Map<string, string>();
  for (const [type] of entries(webhooks?.["events"])) {
    const typeName = eventTypeName(type);
    const first = seen.get(typeName);
    if (first !== undefined)
      report(
        ["webhooks", "events", type],
        DiagnosticCode.DuplicateEventType,
        `event types "${type}" and "${first}" both become the type ${typeName}; they look like the same event declared twice`,
        { at: "key" },
      );
    else seen.set(typeName, type);
  }
}

function checkErrors(doc: Dict, report: Report): void {
  const errors = dict(doc["errors"]);
  const matchers: [PathSegment[], unknown][] = [];
  list(errors?.["when"]).forEach((m, i) => matchers.push([["errors", "when", i], m]));
  list(dict(doc["rateLimits"])?.["limitedWhen"]).forEach((m, i) => matchers.push([["rateLimits", "limitedWhen", i], m]));
  for (const [path, matcher] of matchers) {
    const pattern = str(dict(dict(matcher)?.["body"])?.["matches"]);
    if (pattern !== undefined) checkRegex([...path, "body", "matches"], pattern, report);
  }
  for (const [name, mode] of entries(dict(doc["auth"])?.["modes"])) {
    const pattern = str(dict(dict(dict(mode)?.["tokenResponse"])?.["errorWhen"])?.["matches"]);
    if (pattern !== undefined) checkRegex(["auth", "modes", name, "tokenResponse", "errorWhen", "matches"], pattern, report);
  }
  // A kind outside the common ones is a provider kind (card_declined); one a typo away from a common
  // kind is most likely that kind misspelt, which would silently never match isRateLimitError & co.
  const kinds: [PathSegment[], unknown][] = [
    ...list(errors?.["rules"]).map((rule, i): [PathSegment[], unknown] => [["errors", "rules", i, "kind"], dict(rule)?.["kind"]]),
    ...entries(errors?.["codes"]).map(([code, c]): [PathSegment[], unknown] => [["errors", "codes", code, "kind"], dict(c)?.["kind"]]),
  ];
  for (const [path, kind] of kinds) {
    if (typeof kind !== "string" || (COMMON_ERROR_KINDS as readonly string[]).includes(kind)) continue;
    const near = closest(kind, COMMON_ERROR_KINDS);
    if (near !== undefined)
      report(
        path,
        DiagnosticCode.InconsistentSection,
        `"${kind}" is not a common error kind; did you mean "${near}"? (a new provider kind would never match ${near})`,
        {
          severity: "warning",
        },
      );
  }
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
}

/** An oauth2 mode's defaultScopes must be scopes it declares. */
function checkDefaultScopes(doc: Dict, report: Report): void {
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

/** Reports an invalid pattern; true when the pattern compiles. */
function checkRegex(path: PathSegment[], pattern: string, report: Report): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch (error) {
    // V8 says "Invalid regular expression: /<pattern>/u: <reason>"; the pattern is already under the caret.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
    report(path, DiagnosticCode.InvalidRegex, `invalid regular expression: ${reason}`);
    return false;
  }
}

function checkPolicies(doc: Dict, report: Report): void {
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

/** Which pagination fields each style needs, and which it has no use for. */
const PAGINATION_FIELDS: Record<string, { required: readonly string[]; allowed: readonly string[] }> = {
  cursor: { required: ["param", "cursor"], allowed: ["hasMore", "backward"] },
  linkHeader: { required: [], allowed: [] },
  nextUrl: { required: ["next"], allowed: [] },
  page: { required: ["param"], allowed: ["start", "sizeParam"] },
  offset: { required: ["param"], allowed: ["sizeParam"] },
};

/** A cursor, page or offset put in the body needs an operation that sends one (a POST search, not a GET list). */
function checkPaginationInBody(pagination: Dict | undefined, hasBody: boolean, at: PathSegment[], id: string, report: Report): void {
  if (hasBody) return;
  const locations: [PathSegment[], unknown][] = [
    [[...at, "param"], pagination?.["param"]],
    [[...at, "backward", "param"], dict(pagination?.["backward"])?.["param"]],
  ];
  for (const [path, location] of locations) {
    const where = dict(location);
    const key = where?.["body"] !== undefined ? "body" : where?.["form"] !== undefined ? "form" : undefined;
    if (key !== undefined) {
      report(
        [...path, key],
        DiagnosticCode.InconsistentSection,
        `operation "${id}" sends no body, so its pagination cannot put the cursor in one`,
        {
          at: "key",
        },
      );
    }
  }
}

function checkPagination(pagination: Dict | undefined, at: PathSegment[], id: string, report: Report): void {
  const style = pagination?.["style"];
  if (!pagination || typeof style !== "string" || !Object.hasOwn(PAGINATION_FIELDS, style)) return;
  const fields = PAGINATION_FIELDS[style]!;
  for (const field of fields.required) {
    if (pagination[field] === undefined) {
      report([...at, "style"], DiagnosticCode.InconsistentSection, `operation "${id}": ${style} pagination needs ${field}`);
    }
  }
  for (const field of Object.keys(pagination)) {
    if (field !== "style" && field !== "items" && !fields.required.includes(field) && !fields.allowed.includes(field)) {
      report([...at, field], DiagnosticCode.InconsistentSection, `operation "${id}": ${field} has no meaning for ${style} pagination`, {
        at: "key",
      });
    }
  }
}
