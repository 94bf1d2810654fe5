/**
 * What every section check shares: defensive readers of the raw document (the checks run even when the
 * schema found problems, so nothing may be assumed about shapes) and the report callback.
 */
import { DiagnosticCode, type Diagnostic } from "../../diagnostics.js";
import type { PathSegment } from "../../parse/parse.js";

export type Dict = Record<string, unknown>;

export type Report = (
  path: PathSegment[],
  code: Diagnostic["code"],
  message: string,
  options?: { at?: "key" | "value"; severity?: "error" | "warning" },
) => void;

export function dict(value: unknown): Dict | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Dict) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Keys in source order (the order the author wrote them). */
export function entries(value: unknown): [string, unknown][] {
  return Object.entries(dict(value) ?? {});
}

/** Reports an invalid pattern; true when the pattern compiles. */
export function checkRegex(path: PathSegment[], pattern: string, report: Report): boolean {
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
