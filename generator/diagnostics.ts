/**
 * Diagnostics: every problem the generator finds, with the spec file, line, column, a stable code and
 * the JSON path of the offending node. Formatted the way tsc and eslint print them.
 */

export type Severity = "error" | "warning";

/** Stable diagnostic codes. SB1xxx: YAML; SB2xxx: schema; SB3xxx: semantics; SB4xxx: generation. */
export const DiagnosticCode = {
  YamlSyntax: "SB1001",
  DuplicateKey: "SB1002",
  NotAMapping: "SB1003",
  MultipleDocuments: "SB1004",
  ReadFailed: "SB1005",
  YamlWarning: "SB1006",
  UnknownProperty: "SB2001",
  WrongType: "SB2002",
  MissingProperty: "SB2003",
  InvalidValue: "SB2004",
  InvalidFormat: "SB2005",
  OutOfRange: "SB2006",
  InvalidSize: "SB2007",
  SchemaOther: "SB2099",
  UnknownBucket: "SB3001",
  DuplicateOperationId: "SB3002",
  DuplicateEventType: "SB3003",
  NameCollision: "SB3004",
  DefaultEnvironment: "SB3005",
  UnknownAuthMode: "SB3006",
  UnknownVersion: "SB3007",
  PathParameterMismatch: "SB3008",
  InvalidRegex: "SB3009",
  InconsistentSection: "SB3010",
  LikelyKindTypo: "SB3011",
  UnworkableRateLimit: "SB3012",
  UnknownOperation: "SB3013",
  UnknownParameter: "SB3014",
  /** A bucket mirrors a `resource` its header family cannot name (no resource header). */
  ResourceWithoutHeader: "SB3015",
  /** A reset header whose declared format cannot read what the header carries. */
  ResetFormatMismatch: "SB3016",
  /** A bucket grants fewer than one request per maxQueueWait: every request that queues fails. */
  BucketSlowerThanQueueWait: "SB3017",
  /** A wait the spec allows that the call's deadline (the default total timeout) always ends first. */
  WaitPastDeadline: "SB3018",
  /** A weighted cost read from a request field no operation's body has. */
  UnknownCostField: "SB3019",
  /** A rateLimits.limitedWhen matcher that changes nothing or contradicts the errors section. */
  IneffectiveLimitedWhen: "SB3020",
  /** A path listed twice in one list of paths tried in order (errors.fields): the second is never the one that answers. */
  RepeatedPath: "SB3021",
  DuplicateProvider: "SB4001",
  WriteFailed: "SB4002",
  ImportFailed: "SB4003",
  UnsupportedSchema: "SB4004",
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface Diagnostic {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units like editors count. */
  readonly column: number;
  /** Length of the highlighted span on its line, at least 1. */
  readonly length: number;
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  /** JSON pointer of the offending node ("" for the document). */
  readonly pointer: string;
}

/** Where a diagnostic about the file as a whole points. */
export const FILE_START: DiagnosticPosition = { line: 1, column: 1, length: 1 };

export type DiagnosticPosition = Pick<Diagnostic, "line" | "column" | "length">;

/** A diagnostic at a raw position of the file, outside any JSON path (YAML problems, unreadable files). */
export function fileDiagnostic(
  file: string,
  position: DiagnosticPosition,
  code: DiagnosticCode,
  message: string,
  severity: Severity = "error",
): Diagnostic {
  return { file, line: position.line, column: position.column, length: position.length, severity, code, message, pointer: "" };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Sorts by position and drops exact duplicates (same place, code and message). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  return sorted.filter((d, i) => i === 0 || compareDiagnostics(d, sorted[i - 1]!) !== 0);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** `specs/x.yaml:12:5 error SB2001 message`, then a code frame when the source text is given. */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
  if (sourceText === undefined) return head;
  return `${head}\n${codeFrame(sourceText, d.line, d.column, d.length)}`;
}

const MAX_FRAME_WIDTH = 160;

/** Two lines of context before the offending line, and a caret line under the span. */
export function codeFrame(text: string, line: number, column: number, length: number): string {
  // Columns do not count a byte order mark (see parseSpec).
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const content = visible(lines[n - 1] ?? "").slice(0, MAX_FRAME_WIDTH);
    out.push(`${n === line ? ">" : " "} ${String(n).padStart(width)} | ${content}`.trimEnd());
  }
  if (line >= 1 && line <= lines.length) {
    const lineText = lines[line - 1] ?? "";
    // Measure on the text as shown, where an escaped control character is wider than one column.
    const before = visible(lineText.slice(0, Math.max(0, column - 1))).length;
    const spanned = visible(lineText.slice(Math.max(0, column - 1), Math.max(0, column - 1) + length)).length;
    const start = Math.min(before, MAX_FRAME_WIDTH);
    const span = Math.max(1, Math.min(spanned, MAX_FRAME_WIDTH - start));
    out.push(`  ${" ".repeat(width)} | ${" ".repeat(start)}${"^".repeat(span)}`);
  }
  return out.join("\n");
}

/** Control characters would garble a terminal: show them as escapes. Tabs become one space so carets align. */
function visible(line: string): string {
  return line
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\t/g, " ");
}

/** Escapes one JSON pointer token (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${pointerToken(p)}`).join("");
}
