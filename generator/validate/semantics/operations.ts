/**
 * operations.inline: names do not collide once turned into identifiers (groups, classes, methods, params
 * types, properties), endpoints are not declared twice, path parameters match the path, buckets exist,
 * a body goes with a method that sends one.
 */
import { DiagnosticCode } from "../../diagnostics.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { memberName } from "../../common/names.js";
import {
  API_VERSION_PLACEHOLDER,
  groupLevels,
  operationGroup,
  operationName,
  paramsTypeName,
  providerPascal,
  pathPlaceholders,
  resourceClassName,
} from "../../common/operation-names.js";
import type { PathSegment } from "../../parse/parse.js";
import { checkPagination, checkPaginationInBody } from "./pagination.js";
import { checkStream } from "./stream.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";

export function checkOperations(doc: Dict, report: Report): void {
  const buckets = Object.keys(dict(dict(doc["rateLimits"])?.["buckets"]) ?? {});
  const operations = entries(dict(doc["operations"])?.["inline"]);
  const seenGroups = new Map<string, string>();
  const seenMethods = new Map<string, string>();
  const seenParamsTypes = new Map<string, string>();
  const seenClasses = new Map<string, string>();
  const seenEndpoints = new Map<string, string>();

  for (const [id, raw] of operations) {
    const op = dict(raw);
    if (!op) continue;
    const base = ["operations", "inline", id];
    const group = operationGroup(op);
    // A dotted group nests: "crm.contacts" is client.crm.contacts.
    const groupId = groupLevels(group).map(memberName).join(".");
    const firstGroup = seenGroups.get(groupId);
    if (firstGroup !== undefined && firstGroup !== group) {
      report(
        op["group"] !== undefined ? [...base, "group"] : [...base, "path"],
        DiagnosticCode.NameCollision,
        `group "${group}" and group "${firstGroup}" both become client.${groupId}; rename one`,
      );
    } else {
      seenGroups.set(groupId, group);
      const className = resourceClassName(providerPascal(doc), group);
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
      const paramsType = paramsTypeName(providerPascal(doc), group, name);
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
      // One endpoint may be declared twice when one declaration streams its answer and the other does not
      // (OpenAI's and Anthropic's POST that streams when the body says stream: true).
      const streamed = op["stream"] !== undefined;
      const endpoint = `${method} ${path.replace(/\{[^{}]*\}/g, "{}")}${streamed ? " (streamed)" : ""}`;
      const first = seenEndpoints.get(endpoint);
      if (first !== undefined) {
        report(
          base,
          DiagnosticCode.DuplicateOperationId,
          `operation "${id}" is the same endpoint (${method} ${path}) as operation "${first}"${streamed ? ", and both stream their answer" : ""}`,
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
    checkBody(op, base, id, report);
    checkStream(op, base, id, report);
    checkBatch(op, base, id, report);
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
  checkNestedGroups(seenGroups, seenMethods, report);
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

/** batch splits a JSON or form body's array: the operation needs such a body, and an answer that is one body. */
function checkBatch(op: Dict, base: PathSegment[], id: string, report: Report): void {
  if (op["batch"] === undefined) return;
  const encoding = dict(op["body"])?.["encoding"];
  if (encoding !== "json" && encoding !== "form")
    report(
      [...base, "batch"],
      DiagnosticCode.InconsistentSection,
      `operation ${id} declares batch but no json or form body whose array it could split`,
      { at: "key" },
    );
  if (op["stream"] !== undefined)
    report([...base, "batch"], DiagnosticCode.InconsistentSection, `operation ${id} declares both batch and stream`, { at: "key" });
}

/** A method and a nested group must not take the same property (group crm with a method contacts, and group crm.contacts). */
function checkNestedGroups(groups: ReadonlyMap<string, string>, methods: ReadonlyMap<string, string>, report: Report): void {
  const reported = new Set<string>();
  for (const [groupId, group] of groups) {
    const segments = groupId.split(".");
    for (let n = 1; n < segments.length; n++) {
      const key = segments.slice(0, n + 1).join(".");
      const id = methods.get(key);
      if (id === undefined || reported.has(id)) continue;
      reported.add(id);
      report(
        ["operations", "inline", id],
        DiagnosticCode.NameCollision,
        `operation "${id}" becomes client.${key}(), the property the group "${group}" nests under; rename one`,
        { at: "key" },
      );
    }
  }
}

/** A body goes with a method that carries one, and a media type other than JSON's only with a JSON body. */
function checkBody(op: Dict, base: PathSegment[], id: string, report: Report): void {
  const body = dict(op["body"]);
  if (!body) return;
  const method = str(op["method"]);
  if (method === "GET" || method === "HEAD") {
    report(
      [...base, "body"],
      DiagnosticCode.InconsistentSection,
      `operation "${id}" is a ${method}, which sends no body: move its fields to query parameters`,
      { at: "key" },
    );
  }
  if (body["contentType"] !== undefined && body["encoding"] !== "json") {
    report(
      [...base, "body", "contentType"],
      DiagnosticCode.InconsistentSection,
      `contentType is the media type of a json body; a ${String(body["encoding"])} body's is set by its encoding`,
      { at: "key" },
    );
  }
}
