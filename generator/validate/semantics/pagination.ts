/** Pagination, inline or written for imported operations: each style has the fields it needs and no others. */
import { DiagnosticCode } from "../../diagnostics.js";
import type { PathSegment } from "../../parse/parse.js";
import { dict, entries, list, type Dict, type Report } from "./read.js";
import { checkStream } from "./stream.js";

/** Pagination written for imported operations: per override and per import rule. */
export function checkImportedPagination(doc: Dict, report: Report): void {
  list(dict(doc["operations"])?.["import"]).forEach((raw, i) => {
    const spec = dict(raw);
    const base = ["operations", "import", i];
    const rule = dict(spec?.["pagination"]);
    if (rule)
      checkPagination(dict(rule["pagination"]), [...base, "pagination", "pagination"], `imported from ${String(spec?.["from"])}`, report);
    for (const [id, override] of entries(spec?.["overrides"])) {
      checkPagination(dict(dict(override)?.["pagination"]), [...base, "overrides", id, "pagination"], id, report);
      const op = dict(override);
      if (op) checkStream(op, [...base, "overrides", id], id, report);
    }
  });
}

/** Which pagination fields each style needs, and which it has no use for. */
const PAGINATION_FIELDS: Record<string, { required: readonly string[]; allowed: readonly string[] }> = {
  cursor: { required: ["param", "cursor"], allowed: ["hasMore", "backward"] },
  linkHeader: { required: [], allowed: [] },
  nextUrl: { required: ["next"], allowed: [] },
  page: { required: ["param"], allowed: ["start", "sizeParam"] },
  offset: { required: ["param"], allowed: ["sizeParam"] },
};
export function checkPagination(pagination: Dict | undefined, at: PathSegment[], id: string, report: Report): void {
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

/** A cursor, page or offset put in the body needs an operation that sends one (a POST search, not a GET list). */
export function checkPaginationInBody(pagination: Dict | undefined, hasBody: boolean, at: PathSegment[], id: string, report: Report): void {
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
