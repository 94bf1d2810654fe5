/**
 * Stage 1, parse: YAML text to a plain value, keeping every node's position so that later stages can
 * point at the exact line and column. YAML problems (syntax, duplicate keys, a document that is not a
 * mapping) become diagnostics, never exceptions.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from "yaml";
import { DiagnosticCode, toPointer, type Diagnostic, type Severity } from "./diagnostics.js";

export type PathSegment = string | number;

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

export interface SpecSource {
  /** Path as shown in diagnostics and generated headers (relative, forward slashes). */
  readonly file: string;
  readonly text: string;
  /** Position of a node, its key when `at` is "key" (falls back to the closest existing ancestor). */
  locate(path: readonly PathSegment[], at?: "key" | "value"): SourcePosition;
  diagnostic(
    path: readonly PathSegment[],
    code: Diagnostic["code"],
    message: string,
    options?: { at?: "key" | "value"; severity?: Severity },
  ): Diagnostic;
}

export interface ParseResult {
  readonly source: SpecSource;
  /** The document as plain data; undefined when the YAML could not be read as one mapping. */
  readonly value: Record<string, unknown> | undefined;
  readonly diagnostics: Diagnostic[];
}

/** Aliases expanded beyond this many nodes are refused (a "billion laughs" document). */
const MAX_ALIAS_COUNT = 1000;

export function parseSpec(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const docs: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  const doc = docs[0];
  const source = createSource(file, text, lineCounter, doc);
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number, end: number): SourcePosition => positionOf(lineCounter, text, offset, end);

  for (const d of docs) {
    for (const error of d.errors) {
      const pos = at(error.pos[0], error.pos[1]);
      const duplicate = error.code === "DUPLICATE_KEY";
      diagnostics.push({
        file,
        ...pos,
        severity: "error",
        code: duplicate ? DiagnosticCode.DuplicateKey : DiagnosticCode.YamlSyntax,
        message: duplicate
          ? `duplicate key: ${describeKeyAt(text, error.pos[0])} is already defined in this mapping`
          : yamlMessage(error.message),
        pointer: "",
      });
    }
    for (const warning of d.warnings) {
      const pos = at(warning.pos[0], warning.pos[1]);
      diagnostics.push({
        file,
        ...pos,
        severity: "warning",
        code: DiagnosticCode.YamlWarning,
        message: yamlMessage(warning.message),
        pointer: "",
      });
    }
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const start = second.range[0];
    diagnostics.push({
      file,
      ...at(start, start + 3),
      severity: "error",
      code: DiagnosticCode.MultipleDocuments,
      message: "a spec holds exactly one YAML document; found another one here",
      pointer: "",
    });
  }
  // Only duplicate keys leave a document that can still be read reliably (the first value wins).
  const blocking = diagnostics.some((d) => d.severity === "error" && d.code !== DiagnosticCode.DuplicateKey);
  if (doc === undefined || blocking) {
    if (doc === undefined && diagnostics.length === 0) {
      diagnostics.push({
        file,
        line: 1,
        column: 1,
        length: 1,
        severity: "error",
        code: DiagnosticCode.NotAMapping,
        message: "the spec is empty: expected a mapping with switchboard, provider and environments",
        pointer: "",
      });
    }
    return { source, value: undefined, diagnostics };
  }
  if (!isMap(doc.contents)) {
    const node = doc.contents;
    const what =
      node === null
        ? "nothing"
        : isSeq(node)
          ? "a sequence"
          : isScalar(node)
            ? node.value === null
              ? "null"
              : `a ${typeof node.value}`
            : "a non-mapping";
    const pos = node && node.range ? at(node.range[0], node.range[1]) : { line: 1, column: 1, length: 1 };
    diagnostics.push({
      file,
      ...pos,
      severity: "error",
      code: DiagnosticCode.NotAMapping,
      message: `the spec must be a mapping (switchboard: 1, provider: ..., environments: ...); found ${what}`,
      pointer: "",
    });
    return { source, value: undefined, diagnostics };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      length: 1,
      severity: "error",
      code: DiagnosticCode.YamlSyntax,
      message: `cannot read the document: ${error instanceof Error ? yamlMessage(error.message) : "unknown error"}`,
      pointer: "",
    });
    return { source, value: undefined, diagnostics };
  }
  return { source, value: value as Record<string, unknown>, diagnostics };
}

/** A spec file that could not be read at all (missing, a directory, no permission). */
export function readFailure(file: string, reason: string): Diagnostic {
  return {
    file,
    line: 1,
    column: 1,
    length: 1,
    severity: "error",
    code: DiagnosticCode.ReadFailed,
    message: `cannot read the spec: ${reason}`,
    pointer: "",
  };
}

function yamlMessage(message: string): string {
  // yaml appends "at line N, column M" and a code frame when prettyErrors is on; we print our own.
  return message
    .split("\n")[0]!
    .replace(/\s+at line \d+, column \d+:?$/, "")
    .trim();
}

function describeKeyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const match = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n]*)/.exec(rest);
  const key = (match?.[1] ?? "").trim();
  return key === "" ? "this key" : `"${key.replace(/^["']|["']$/g, "").slice(0, 80)}"`;
}

function positionOf(lineCounter: LineCounter, text: string, offset: number, end: number): SourcePosition {
  const safe = Math.max(0, Math.min(offset, text.length));
  const { line, col } = lineCounter.linePos(safe);
  const lineEnd = text.indexOf("\n", safe);
  const limit = lineEnd === -1 ? text.length : lineEnd;
  const length = Math.max(1, Math.min(end, limit) - safe);
  return { line, column: col, length };
}

function createSource(file: string, text: string, lineCounter: LineCounter, doc: Document.Parsed | undefined): SpecSource {
  const locate = (path: readonly PathSegment[], at: "key" | "value" = "value"): SourcePosition => {
    let node: unknown = doc?.contents ?? null;
    let keyNode: Node | null = null;
    let best: Node | null = isNodeWithRange(node) ? node : null;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      let next: unknown = undefined;
      keyNode = null;
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => keyText(p.key) === String(segment));
        if (pair) {
          keyNode = isNodeWithRange(pair.key) ? pair.key : null;
          next = pair.value;
          // `key:` with no value: point at the key.
          if (!isNodeWithRange(next)) return rangePosition(keyNode ?? best);
        }
      } else if (isSeq(node) && typeof segment === "number") {
        next = node.items[segment];
      }
      if (!isNodeWithRange(next)) return rangePosition(best);
      node = next;
      best = at === "key" && i === path.length - 1 && keyNode ? keyNode : next;
    }
    return rangePosition(best);
  };
  const rangePosition = (node: Node | null): SourcePosition => {
    if (!node || !node.range) return { line: 1, column: 1, length: 1 };
    return positionOf(lineCounter, text, node.range[0], node.range[1]);
  };
  return {
    file,
    text,
    locate,
    diagnostic(path, code, message, options = {}) {
      const pos = locate(path, options.at ?? "value");
      return { file, ...pos, severity: options.severity ?? "error", code, message, pointer: toPointer(path) };
    },
  };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value && Array.isArray((value as Node).range);
}
