/**
 * Stage 1, parse: YAML text to a plain value, keeping every node's position so that later stages can
 * point at the exact line and column. YAML problems (syntax, duplicate keys, a document that is not a
 * mapping) become diagnostics, never exceptions.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from "yaml";
import { DiagnosticCode, FILE_START, fileDiagnostic, toPointer, type Diagnostic, type Severity } from "../diagnostics.js";

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

/** More aliases than this are refused: resolving each one scans the document. */
const MAX_ALIAS_COUNT = 1000;
/** Aliases that expand the document by more than this many nodes are refused (a "billion laughs" document). */
const MAX_ALIAS_EXPANSION = 100_000;

export function parseSpec(file: string, original: string): ParseResult {
  // Editors do not count a byte order mark as a column; yaml would.
  const text = original.charCodeAt(0) === 0xfeff ? original.slice(1) : original;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const docs: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  const doc = docs[0];
  const source = createSource(file, text, lineCounter, doc);
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number, end: number): SourcePosition => positionOf(lineCounter, text, offset, end);

  const syntaxErrorLines = new Set<number>();
  for (const d of docs) {
    for (const error of d.errors) {
      const pos = at(error.pos[0], error.pos[1]);
      if (error.code === "DUPLICATE_KEY") {
        const key = keyAt(text, error.pos[0]);
        diagnostics.push(
          fileDiagnostic(
            file,
            { ...pos, length: Math.max(1, key.length) },
            DiagnosticCode.DuplicateKey,
            `duplicate key: ${describeKey(key)} is already defined in this mapping`,
          ),
        );
        continue;
      }
      // One mistake (a tab, an unclosed bracket) often makes yaml report several errors on the same
      // line; the first one names the cause, the others are noise.
      if (syntaxErrorLines.has(pos.line)) continue;
      syntaxErrorLines.add(pos.line);
      diagnostics.push({
        file,
        ...explainSyntaxError(d, text, at, error.code, error.pos, error.message),
        severity: "error",
        code: DiagnosticCode.YamlSyntax,
        pointer: "",
      });
    }
    for (const warning of d.warnings) {
      const pos = at(warning.pos[0], warning.pos[1]);
      diagnostics.push(fileDiagnostic(file, pos, DiagnosticCode.YamlWarning, yamlMessage(warning.message), "warning"));
    }
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const start = second.range[0];
    diagnostics.push(
      fileDiagnostic(
        file,
        at(start, start + 3),
        DiagnosticCode.MultipleDocuments,
        "a spec holds exactly one YAML document; found another one here",
      ),
    );
  }
  if (doc) diagnostics.push(...checkCollectionKeys(doc, at, file), ...checkAliases(doc, at, file));
  // Only duplicate keys leave a document that can still be read reliably (the first value wins).
  const blocking = diagnostics.some((d) => d.severity === "error" && d.code !== DiagnosticCode.DuplicateKey);
  const empty = doc === undefined || doc.contents === null || (isNodeWithRange(doc.contents) && isEmptyScalar(doc.contents));
  if (empty && !blocking) {
    diagnostics.push(
      fileDiagnostic(
        file,
        FILE_START,
        DiagnosticCode.NotAMapping,
        "the spec is empty: expected a mapping with switchboard, provider and environments",
      ),
    );
  }
  if (doc === undefined || empty || blocking) return { source, value: undefined, diagnostics };
  if (!isMap(doc.contents)) {
    const node = doc.contents;
    const what = isSeq(node) ? "a sequence" : isScalar(node) ? (node.value === null ? "null" : `a ${typeof node.value}`) : "a non-mapping";
    const pos = node && node.range ? at(node.range[0], node.range[1]) : FILE_START;
    diagnostics.push(
      fileDiagnostic(
        file,
        pos,
        DiagnosticCode.NotAMapping,
        `the spec must be a mapping (switchboard: 1, provider: ..., environments: ...); found ${what}`,
      ),
    );
    return { source, value: undefined, diagnostics };
  }
  dropDuplicatePairs(doc.contents);
  let value: unknown;
  try {
    // checkAliases has bounded alias use already, with positions; yaml's own counter would only fail
    // later, at line 1, on documents that are in fact harmless.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    const reason = error instanceof Error ? yamlMessage(error.message) : "unknown error";
    diagnostics.push(fileDiagnostic(file, FILE_START, DiagnosticCode.YamlSyntax, `cannot read the document: ${reason}`));
    return { source, value: undefined, diagnostics };
  }
  return { source, value: value as Record<string, unknown>, diagnostics };
}

/** A spec file that could not be read at all (missing, a directory, no permission). */
export function readFailure(file: string, reason: string): Diagnostic {
  return fileDiagnostic(file, FILE_START, DiagnosticCode.ReadFailed, `cannot read the spec: ${reason}`);
}

function yamlMessage(message: string): string {
  // yaml appends "at line N, column M" and a code frame when prettyErrors is on; we print our own.
  return message
    .split("\n")[0]!
    .replace(/\s+at line \d+, column \d+:?$/, "")
    .trim();
}

/**
 * yaml reports some mistakes where it noticed them, which can be far from the cause: an unclosed "{",
 * "[" or quote at the line where the collection or string had to end, and a line indented one step
 * too far as a "nested mapping" in the value of the line above. Point at the cause instead.
 */
function explainSyntaxError(
  doc: Document.Parsed,
  text: string,
  at: (offset: number, end: number) => SourcePosition,
  code: string,
  range: readonly [number, number],
  yamlText: string,
): SourcePosition & { message: string } {
  const pos = at(range[0], range[1]);
  const unclosed = code === "BAD_INDENT" || code === "MISSING_CHAR" ? unclosedNode(doc, range[0]) : undefined;
  if (unclosed) {
    const start = at(unclosed.range![0], unclosed.range![0] + 1);
    const where = `before line ${pos.line}, column ${pos.column}`;
    if (isScalar(unclosed)) {
      const quote = unclosed.type === "QUOTE_SINGLE" ? "'" : '"';
      return { ...start, message: `this string is not closed: expected a closing ${quote} ${where}` };
    }
    const [open, close] = isMap(unclosed) ? ["{", "}"] : ["[", "]"];
    const indent =
      code === "BAD_INDENT" && pos.line > start.line ? " (continuation lines must be indented more than the line it opens on)" : "";
    return { ...start, message: `this "${open}" is not closed: expected "${close}" ${where}${indent}` };
  }
  if (code === "BLOCK_AS_IMPLICIT_KEY" || code === "MULTILINE_IMPLICIT_KEY") {
    // `name: acme` then `   title: Acme` indented further: yaml reads "acme title" as one value
    // followed by ": Acme". The cause is the indentation of the next line.
    const lineStart = text.lastIndexOf("\n", range[0] - 1) + 1;
    const lineEnd = text.slice(range[0]).search(/\r?\n/);
    if (lineEnd !== -1 && !/:(\s|$)/.test(text.slice(range[0], range[0] + lineEnd))) {
      const next = text.slice(range[0] + lineEnd).match(/^\r?\n[ \t]*/)![0].length + range[0] + lineEnd;
      const indentOf = (offset: number): number => /^[ \t]*/.exec(text.slice(offset))![0].length;
      const nextIndent = next - (text.lastIndexOf("\n", next - 1) + 1);
      if (nextIndent > indentOf(lineStart)) {
        const key = /^[^:\r\n]*/.exec(text.slice(next))![0].trimEnd();
        return {
          ...at(next, next + Math.max(1, key.length)),
          message:
            "this line is indented more than the key above it, so it continues that key's value; indent it like the other keys " +
            "(or quote the value if the colon belongs to it)",
        };
      }
    }
    if (code === "BLOCK_AS_IMPLICIT_KEY") return { ...pos, message: `${yamlMessage(yamlText)}; quote the value if it contains ": "` };
  }
  return { ...pos, message: yamlMessage(yamlText) };
}

/** The flow collection or quoted string that yaml gave up on at `offset` (it ends there). */
function unclosedNode(doc: Document.Parsed, offset: number): Node | undefined {
  let found: Node | undefined;
  const walk = (node: unknown): void => {
    if (found || !isNodeWithRange(node)) return;
    const quoted = isScalar(node) && (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE");
    const flow = (isMap(node) || isSeq(node)) && node.flow === true;
    if ((quoted || flow) && node.range![1] === offset) {
      found = node;
      return;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPairLike(item)) {
          walk(item.key);
          walk(item.value);
        } else walk(item);
      }
    }
  };
  walk(doc.contents);
  return found;
}

function isPairLike(item: unknown): item is Pair {
  return typeof item === "object" && item !== null && "key" in item && "value" in item;
}

/** The key as written at `offset` (quotes included), up to the colon, comma or end of line. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const match = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:,}\]\r\n]*)/.exec(rest);
  return (match?.[1] ?? "").trimEnd();
}

function describeKey(key: string): string {
  return key === "" ? "this key" : `"${key.replace(/^["']|["']$/g, "").slice(0, 80)}"`;
}

/**
 * Aliases are resolved here, once, before the document is turned into data: an alias with no anchor
 * before it, an alias inside the node it refers to (the data would be circular), too many aliases, or
 * aliases that multiply the document's size ("billion laughs") each give a diagnostic at the alias.
 */
function checkAliases(doc: Document.Parsed, at: (offset: number, end: number) => SourcePosition, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (node: Node, message: string): void => {
    const range = node.range ?? [0, 0];
    diagnostics.push(fileDiagnostic(file, at(range[0], range[1]), DiagnosticCode.YamlSyntax, message));
  };
  // Anchors are looked up in document order: an alias refers to the last node with its anchor before it.
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node | undefined>();
  const aliases: Node[] = [];
  const collect = (node: unknown): void => {
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      aliases.push(node);
      return;
    }
    if (!isNodeWithRange(node)) return;
    if ("anchor" in node && typeof node.anchor === "string") anchors.set(node.anchor, node);
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        collect(pair.key);
        collect(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) collect(item);
    }
  };
  collect(doc.contents);
  if (aliases.length === 0) return diagnostics;
  if (aliases.length > MAX_ALIAS_COUNT) {
    report(aliases[MAX_ALIAS_COUNT]!, `more than ${MAX_ALIAS_COUNT} aliases in one spec; refusing to read it`);
    return diagnostics;
  }
  for (const alias of aliases) {
    if (targets.get(alias) === undefined) {
      const name = (alias as Node & { source: string }).source;
      report(alias, `unknown alias *${name}: no anchor &${name} is defined before it`);
    }
  }
  if (diagnostics.length > 0) return diagnostics;

  // Size of each node once its aliases are expanded, memoized so that the walk stays linear.
  const sizes = new Map<Node, number>();
  const inProgress = new Set<Node>();
  let circular = false;
  const size = (node: unknown): number => {
    if (!isNodeWithRange(node)) return 1;
    if (isAlias(node)) {
      const target = targets.get(node)!;
      if (inProgress.has(target)) {
        report(node, `alias *${node.source} is inside the node it refers to; the data would be circular`);
        circular = true;
        return 1;
      }
      return size(target);
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    inProgress.add(node);
    let total = 1;
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) total += size(pair.key) + size(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) total += size(item);
    }
    inProgress.delete(node);
    sizes.set(node, total);
    return total;
  };
  size(doc.contents);
  if (circular) return diagnostics;
  let expansion = 0;
  for (const alias of aliases) {
    expansion += size(targets.get(alias));
    if (expansion > MAX_ALIAS_EXPANSION) {
      report(alias, `aliases expand the spec to more than ${MAX_ALIAS_EXPANSION} nodes (a "billion laughs" document); refusing to read it`);
      break;
    }
  }
  return diagnostics;
}

/** `? [a, b]` or `? {a: 1}` keys have no property name in JSON (toJS would stringify them, and warn). */
function checkCollectionKeys(doc: Document.Parsed, at: (offset: number, end: number) => SourcePosition, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        if ((isMap(pair.key) || isSeq(pair.key)) && pair.key.range) {
          const message = `a key must be a string, not a ${isMap(pair.key) ? "mapping" : "sequence"}`;
          diagnostics.push(fileDiagnostic(file, at(pair.key.range[0], pair.key.range[1]), DiagnosticCode.YamlSyntax, message));
        }
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return diagnostics;
}

/** With duplicate keys, the first one counts: the later pairs are the ones reported, and dropped. */
function dropDuplicatePairs(node: unknown): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    node.items = (node.items as Pair[]).filter((pair) => {
      const key = keyText(pair.key);
      if (key === undefined) return true;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    for (const pair of node.items as Pair[]) dropDuplicatePairs(pair.value);
  } else if (isSeq(node)) {
    for (const item of node.items) dropDuplicatePairs(item);
  }
}

function positionOf(lineCounter: LineCounter, text: string, offset: number, end: number): SourcePosition {
  const safe = Math.max(0, Math.min(offset, text.length));
  const { line, col } = lineCounter.linePos(safe);
  let limit = safe;
  while (limit < text.length && text[limit] !== "\n" && text[limit] !== "\r") limit++;
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
          // `key:` with no value: point at the key (yaml gives the missing value an empty range).
          if (!isNodeWithRange(next) || isEmptyScalar(next)) return rangePosition(keyNode ?? best);
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
    if (!node || !node.range) return FILE_START;
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

/** A key as the property name toJS gives it (a null key becomes ""). */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? "" : String(key.value);
  return undefined;
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value && Array.isArray((value as Node).range);
}
