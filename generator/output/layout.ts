/**
 * Stage 5, format, without prettier where it is not needed. The printer (emit/declarations.ts) writes
 * code in prettier's form except for indentation and the lines prettier would break: objects are
 * written one member per line, everything else on one line, in prettier's spacing, quotes and
 * semicolons. So this module indents the printer's text itself, unit by unit (a top-level statement,
 * or a member of a top-level class, interface or object type alias), and leaves to prettier only the
 * units whose lines it cannot vouch for: a code line longer than prettier's width, a line that ends or
 * starts where prettier would rather break (an open parenthesis, a comma, a union bar), an object type
 * written out inside a union or a type argument, a string prettier would quote differently, a comment
 * in an unusual place. (test/generator/output/format.test.ts checks the result against prettier on
 * every spec's output.)
 */
/** Prettier's printWidth (format.ts). */
export const WIDTH = 100;

/** How a unit that prettier formats is wrapped so that it parses alone and is indented as in place. */
export type Wrapper = "none" | "class" | "interface";

/** A unit left to prettier: its unformatted text, and how to wrap it. */
export interface PrettierUnit {
  readonly text: string;
  readonly wrapper: Wrapper;
}

/** Text laid out here, with holes for the units prettier formats. */
export interface Layout {
  /** Final lines, or the index into `units` of a unit whose formatted lines go there. */
  readonly parts: readonly (string | number)[];
  readonly units: readonly PrettierUnit[];
}

interface Line {
  /** The line as the printer wrote it, and without white space at either end. */
  readonly raw: string;
  readonly text: string;
  readonly kind: "blank" | "doc" | "comment" | "code";
  /** Nesting depth ({, ( and [) where the line starts, and where it ends. */
  readonly depth: number;
  readonly depthAfter: number;
  /** Indentation in levels (two spaces each), as prettier writes it. */
  readonly indent: number;
  /** A code line with something this module does not lay out. */
  readonly risky: boolean;
  /** For a line that starts with `}`: the index of the line with the matching `{`. */
  readonly opener?: number;
  /** For a JSDoc line: whether it is the first line of its block. */
  readonly docStart?: boolean;
}

const OPENERS = "{([";
const CLOSERS = "})]";

/**
 * Lines of the printer's text with their depth. Undefined when a line cannot be read alone (a string
 * or template literal across lines, unbalanced brackets).
 */
function scan(text: string): Line[] | undefined {
  const lines: Line[] = [];
  const stack: { line: number; char: string }[] = [];
  let inDoc = false;
  for (const raw of text.split("\n")) {
    const t = raw.trim();
    const depth = stack.length;
    const index = lines.length;
    if (inDoc) {
      if (t.includes("*/")) {
        if (!t.endsWith("*/") || t.indexOf("*/") !== t.length - 2) return undefined;
        inDoc = false;
      }
      lines.push({ raw, text: t, kind: "doc", depth, depthAfter: depth, indent: depth, risky: false });
      continue;
    }
    if (t === "") {
      lines.push({ raw, text: t, kind: "blank", depth, depthAfter: depth, indent: depth, risky: false });
      continue;
    }
    if (t.startsWith("/*")) {
      const close = t.indexOf("*/", 2);
      if (close === -1) inDoc = true;
      else if (close !== t.length - 2) return undefined;
      lines.push({ raw, text: t, kind: "doc", depth, depthAfter: depth, indent: depth, risky: false, docStart: true });
      continue;
    }
    if (t.startsWith("//")) {
      if (raw.trimEnd() !== raw) return undefined;
      lines.push({ raw, text: t, kind: "comment", depth, depthAfter: depth, indent: depth, risky: false });
      continue;
    }
    let risky = /[^\x20-\x7e]/.test(t);
    let opener: number | undefined;
    // The line with string and template contents blanked out, for the checks below.
    let code = "";
    for (let i = 0; i < t.length; i++) {
      const c = t[i]!;
      if (c === '"' || c === "'") {
        let j = i + 1;
        for (; j < t.length && t[j] !== c; j++) {
          if (t[j] === "\\") {
            // An escaped quote: prettier may prefer the other quotes.
            if (t[j + 1] === '"' || t[j + 1] === "'") risky = true;
            j++;
          }
        }
        if (j >= t.length) return undefined;
        if (c === "'") risky = true;
        code += '""';
        i = j;
      } else if (c === "`") {
        let j = i + 1;
        for (; j < t.length && t[j] !== "`"; j++) {
          if (t[j] === "\\") j++;
          else if (t[j] === "$" && t[j + 1] === "{") {
            // Substitutions in generated templates are plain member accesses.
            const end = t.indexOf("}", j);
            if (end === -1) return undefined;
            if (!/^[\w$.#]+$/.test(t.slice(j + 2, end))) risky = true;
            j = end;
          }
        }
        if (j >= t.length) return undefined;
        code += "``";
        i = j;
      } else if (c === "/" && (t[i + 1] === "/" || t[i + 1] === "*")) {
        // A comment after code.
        risky = true;
        code += t.slice(i);
        break;
      } else {
        if (OPENERS.includes(c)) {
          // A parenthesized type: prettier drops parentheses that are not needed, and only `(A | B)[]`
          // needs them in the printer's types.
          const grouping = c === "(" && /(^|[=:|&<,(\[]\s*)$/.test(code);
          stack.push({ line: index, char: grouping ? "g" : c });
        } else if (CLOSERS.includes(c)) {
          const open = stack.pop();
          const char = open?.char === "g" ? "(" : open?.char;
          if (open === undefined || OPENERS.indexOf(char!) !== CLOSERS.indexOf(c)) return undefined;
          if (open.char === "g" && t[i + 1] !== "[") risky = true;
          if (i === 0) opener = open.line;
        }
        code += c;
      }
    }
    // Numbers prettier writes differently (1e+21 as 1e21), arrays of objects or arrays (prettier breaks
    // them even when they fit), arrow functions (laid out in ways this module does not follow).
    if (/\d[eE]/.test(code) || /\[\s*[[{]/.test(code) || code.includes("=>")) risky = true;
    const startsWithCloser = CLOSERS.includes(t[0]!);
    lines.push({
      raw,
      text: t,
      kind: "code",
      depth,
      depthAfter: stack.length,
      indent: startsWithCloser ? depth - 1 : depth,
      risky,
      ...(opener !== undefined && { opener }),
    });
  }
  if (stack.length > 0 || inDoc) return undefined;
  return lines;
}

/** A line as prettier indents it: JSDoc lines after the first one space further. */
function laidOut(line: Line): string {
  if (line.kind === "blank") return "";
  const indent = "  ".repeat(line.indent);
  return line.kind === "doc" && line.docStart !== true ? `${indent} ${line.text}` : `${indent}${line.text}`;
}

/** A line ending in `{` that prettier writes as it is (a declaration, a body, a property's object type). */
function isOpenerLine(line: Line): boolean {
  const before = line.text.slice(0, -2);
  if (!line.text.endsWith(" {")) return false;
  if (before.endsWith(":")) return true;
  if (before.endsWith("=>")) return false;
  if (before.endsWith("=")) return /^(export )?type /.test(line.text);
  return !"|&,(<[".includes(before.at(-1) ?? "|");
}

/**
 * A unit's lines as prettier writes them (lines[from, to) of all), or undefined when one of them is not
 * certain.
 */
function layUnit(all: readonly Line[], from: number, to: number): string[] | undefined {
  const out: string[] = [];
  for (let index = from; index < to; index++) {
    const line = all[index]!;
    if (line.kind === "doc") {
      // Prettier re-indents a block of several lines each starting with `*`; it prints others as they are.
      // (White space at the end of a line: prettier keeps some, drops some; left to it.)
      if ((line.docStart !== true && !line.text.startsWith("*")) || /\s$/.test(line.raw)) return undefined;
      out.push(laidOut(line));
      continue;
    }
    // Prettier keeps a blank line inside a block but not at its start or end: left to prettier.
    if (line.kind !== "code") return undefined;
    const t = line.text;
    if (line.risky) return undefined;
    const last = t.at(-1)!;
    if (last === "{") {
      // An empty block: prettier writes `{}`.
      if (!isOpenerLine(line) || index + 1 >= all.length || all[index + 1]!.text.startsWith("}")) return undefined;
    } else if (last !== ";" && last !== "}") return undefined;
    const first = t[0]!;
    if (first === ")" || first === "]") return undefined;
    if (first === "}" && t !== "}" && t !== "};") {
      // An object type then `[]` or `| null` (prettier hugs an object in a union with null only).
      const opener = line.opener === undefined ? undefined : all[line.opener];
      const property = opener !== undefined && opener.text.endsWith(": {");
      const alias = opener !== undefined && /^(export )?type [\w$]+ = \{$/.test(opener.text);
      if (!((t === "}[];" && (property || alias)) || (t === "} | null;" && property))) return undefined;
    }
    if (line.indent * 2 + t.length <= WIDTH) {
      out.push(laidOut(line));
      continue;
    }
    const broken = breakLine(t, line.indent);
    if (broken === undefined) return undefined;
    out.push(...broken);
  }
  return out;
}

/** Whether all lines fit prettier's width. */
const fit = (lines: readonly string[]): lines is string[] => lines.every((l) => l.length <= WIDTH);

/** The index of the quote (or backtick) closing the one at `open`, escapes skipped. */
function endOfQuote(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length && text[i] !== text[open]) i += text[i] === "\\" ? 2 : 1;
  return i;
}

/**
 * Parts of `text` between top-level occurrences of `separator` (outside strings, templates and
 * brackets, `<>` included); undefined for text this module does not read (an arrow function).
 */
function splitTopLevel(text: string, separator: string): string[] | undefined {
  if (text.includes("=>")) return undefined;
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "`") i = endOfQuote(text, i);
    else if ("{([<".includes(c)) depth++;
    else if ("})]>".includes(c)) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}

/** The index of the bracket closing the one at `open` (outside strings and templates), or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "`") i = endOfQuote(text, i);
    else if ("{([<".includes(c)) depth++;
    else if ("})]>".includes(c) && --depth === 0) return i;
  }
  return -1;
}

/**
 * `{ a: 1, b: 2 }` as prettier breaks an object literal: one property a line, a trailing comma, a
 * property whose object does not fit broken in turn. Undefined when a line would not fit and could break.
 */
function breakObject(text: string, indent: string, head: string, tail: string): string[] | undefined {
  if (!text.startsWith("{ ") || !text.endsWith(" }") || closing(text, 0) !== text.length - 1) return undefined;
  const properties = splitTopLevel(text.slice(2, -2), ", ");
  if (properties === undefined || `${indent}${head}{`.length > WIDTH) return undefined;
  const inner = `${indent}  `;
  const lines = [`${indent}${head}{`];
  for (const property of properties) {
    const line = `${inner}${property},`;
    if (line.length <= WIDTH || unbreakable(line)) {
      lines.push(line);
      continue;
    }
    const nested = /^((?:[\w$]+|"(?:[^"\\]|\\.)*"): )(\{.*\})$/.exec(property);
    const broken = nested === null ? undefined : breakObject(nested[2]!, inner, nested[1]!, ",");
    if (broken === undefined) return undefined;
    lines.push(...broken);
  }
  lines.push(`${indent}}${tail}`);
  return lines;
}

/**
 * A property with a key shorter than 5 characters stays on its line however long (prettier does not
 * break after so short a key), and a string or a template literal cannot break.
 */
const unbreakable = (line: string) => /^ *[\w$]{1,4}: (?:[\w$]*`[^`]*`|"(?:[^"\\]|\\.)*"),$/.test(line);

/** Whether a parameter or argument is one prettier may hug or lay out otherwise (an object, an array, a function). */
const huggable = (part: string) => /^[{[(]/.test(part) || /^[\w$]+\??: [{[(]/.test(part);

/**
 * A line too long for prettier's width, broken as prettier breaks it, for the shapes the printer
 * writes: a signature (parameters one a line), `return f(...)` (arguments one a line, an object
 * argument broken in turn if it must), a constant initialized by an object literal, a type alias to a
 * generic type (type arguments one a line), a union (members one a line). Undefined for anything else.
 */
function breakLine(text: string, level: number): string[] | undefined {
  const indent = "  ".repeat(level);
  const inner = `${indent}  `;
  // A function, method or constructor signature without type parameters, then its body.
  let m = /^((?:export )?(?:async )?(?:function [\w$]+|[\w$#]+|"[^"]*"))\(/.exec(text);
  if (m !== null && text.endsWith(" {")) {
    const close = closing(text, m[1]!.length);
    const parameters = close === -1 ? undefined : splitTopLevel(text.slice(m[1]!.length + 1, close), ", ");
    if (parameters === undefined || parameters.length === 0 || parameters.some(huggable)) return undefined;
    const lines = [`${indent}${m[1]}(`, ...parameters.map((p) => `${inner}${p},`), `${indent}${text.slice(close)}`];
    return fit(lines) ? lines : undefined;
  }
  // `return f(...);` or `return f<T>(...);` with a plain callee.
  const callee = returnedCallee(text);
  if (callee !== undefined) {
    const close = closing(text, callee.length);
    if (close !== text.length - 2 || !text.endsWith(");")) return undefined;
    const args = splitTopLevel(text.slice(callee.length + 1, close), ", ");
    if (args === undefined || args.length === 0 || huggable(args.at(-1)!) || args.length === 1) return undefined;
    // A head too long for its line stays whole when its one type argument is a name (prettier does
    // not break that); other type arguments that do not fit prettier breaks first: left to it.
    if (indent.length + callee.length + 1 > WIDTH && !/^return [\w$#.]+(?:<[\w$.]+>)$/.test(callee)) return undefined;
    const lines = [`${indent}${callee}(`];
    for (const arg of args) {
      if (inner.length + arg.length + 1 <= WIDTH) lines.push(`${inner}${arg},`);
      else {
        // breakObject checks the widths of its lines.
        const object = breakObject(arg, inner, "", ",");
        if (object === undefined) return undefined;
        lines.push(...object);
      }
    }
    lines.push(`${indent});`);
    return lines;
  }
  // `const x = { ... }` or `const x: T = { ... }` (then `satisfies T` or `as const`).
  m = /^((?:export )?const [\w$]+(?:: [\w$.]+)? = )(\{.*\})((?: satisfies [\w$.]+| as const)?;)$/.exec(text);
  if (m !== null) {
    const tail = m[3]!.slice(0, -1) + ";";
    if (`${indent}${m[1]}{`.length <= WIDTH) return breakObject(m[2]!, indent, m[1]!, tail);
    // A head too long for ` = {`: the object on the next lines, one level in (flat when it fits there).
    const flat = `${inner}${m[2]}${tail}`;
    const object = flat.length <= WIDTH ? [flat] : breakObject(m[2]!, inner, "", tail);
    return object && [`${indent}${m[1]!.trimEnd()}`, ...object];
  }
  // `type X = Generic<A, B>;`
  m = /^((?:export )?type [\w$]+ = [\w$.]+<)(.*)>;$/.exec(text);
  if (m !== null && closing(text, m[1]!.length - 1) === text.length - 2) {
    const args = splitTopLevel(m[2]!, ", ");
    if (args === undefined || args.length < 2 || args.some((a) => a.includes("{"))) return undefined;
    const lines = [`${indent}${m[1]}`, ...args.map((a, i) => `${inner}${a}${i < args.length - 1 ? "," : ""}`), `${indent}>;`];
    return fit(lines) ? lines : undefined;
  }
  // `type X = A | B;` or a property `name?: A | B;`
  m = /^((?:export )?type [\w$]+ =|(?:readonly )?(?:[\w$]+|"(?:[^"\\]|\\.)*")\??:) (.*);$/.exec(text);
  if (m !== null) {
    const members = splitTopLevel(m[2]!, " | ");
    if (members === undefined || members.length < 2 || members.some((x) => x.includes("{"))) return undefined;
    // Prettier never breaks a union of one type and null (or void).
    if (members.filter((x) => x !== "null" && x !== "void").length === 1) return undefined;
    // The union on the next line when it fits there, else a member a line.
    const next = `${inner}${m[2]};`;
    if (next.length <= WIDTH) return [`${indent}${m[1]}`, next];
    // (Prettier puts an intersection member in parentheses then.)
    if (members.some((x) => splitTopLevel(x, " & ")?.length !== 1)) return undefined;
    const lines = [`${indent}${m[1]}`, ...members.map((x, i) => `${inner}| ${x}${i === members.length - 1 ? ";" : ""}`)];
    return fit(lines) ? lines : undefined;
  }
  return undefined;
}

/** `return f` or `return f<T>` of `return f(...);` or `return f<T>(...);`, a plain callee; undefined for any other line. */
function returnedCallee(text: string): string | undefined {
  const name = /^return [\w$#]+(?:\.[\w$#]+)*/.exec(text)?.[0];
  if (name === undefined) return undefined;
  const end = text[name.length] === "<" ? closing(text, name.length) + 1 : name.length;
  return end > 0 && text[end] === "(" ? text.slice(0, end) : undefined;
}

/** `class X {`, `interface X {` or `type X = {`: a container whose members are laid out one by one. */
function containerOf(header: Line): Wrapper | undefined {
  if (header.kind !== "code" || !header.text.endsWith(" {") || header.depthAfter !== header.depth + 1) return undefined;
  if (/^(export )?(declare )?(abstract )?class /.test(header.text)) return "class";
  if (/^(export )?(declare )?interface /.test(header.text) || /^(export )?type [^=]*= \{$/.test(header.text)) return "interface";
  return undefined;
}

/**
 * Prettier's text for the printer's text, but for the units left to prettier; undefined when the text
 * is not in the printer's shape (then prettier formats all of it).
 */
export function layOut(text: string): Layout | undefined {
  const lines = scan(text.endsWith("\n") ? text.slice(0, -1) : text);
  if (lines === undefined) return undefined;
  const parts: (string | number)[] = [];
  const units: PrettierUnit[] = [];
  const plain = (from: number, to: number) =>
    lines
      .slice(from, to)
      .map((l) => l.raw)
      .join("\n");
  const emit = (from: number, to: number, wrapper: Wrapper) => {
    const laid = layUnit(lines, from, to);
    if (laid !== undefined) parts.push(...laid);
    else {
      parts.push(units.length);
      units.push({ text: plain(from, to), wrapper });
    }
  };

  /** Units at `depth` in lines[from, to); false when the lines are not in the printer's shape. */
  const level = (from: number, to: number, depth: number, wrapper: Wrapper): boolean => {
    let i = from;
    while (i < to) {
      const line = lines[i]!;
      if (line.kind === "blank") {
        // Prettier keeps one blank line between statements, none at the start or end of a block.
        if (i === from || i + 1 === to || lines[i + 1]!.kind === "blank") return false;
        parts.push("");
        i++;
        continue;
      }
      if (line.depth !== depth) return false;
      if (line.kind === "comment") {
        parts.push(laidOut(line));
        i++;
        continue;
      }
      // The unit: JSDoc blocks, then code up to a line back at this depth that ends a statement.
      let end = i;
      let header = -1;
      for (; end < to; end++) {
        const l = lines[end]!;
        if (l.kind === "blank" || l.kind === "comment") {
          if (header === -1) return false;
          continue;
        }
        if (l.kind !== "code") continue;
        if (header === -1) header = end;
        if (l.depthAfter === depth && (l.text.endsWith(";") || l.text.endsWith("}"))) break;
      }
      if (end >= to || header === -1) return false;
      const container = depth === 0 ? containerOf(lines[header]!) : undefined;
      const last = lines[end]!;
      let head: string[] | undefined;
      if (
        container !== undefined &&
        header + 1 < end &&
        last.opener === header &&
        (last.text === "}" || last.text === "};") &&
        (head = layUnit(lines, i, header + 1)) !== undefined
      ) {
        parts.push(...head);
        if (!level(header + 1, end, depth + 1, container)) return false;
        parts.push(laidOut(last));
      } else {
        emit(i, end + 1, wrapper);
      }
      i = end + 1;
    }
    return true;
  };
  if (!level(0, lines.length, 0, "none")) return undefined;
  return { parts, units };
}

/** Marks the end of one unit in the text prettier formats for all of a file's units. */
const MARKER = "// switchboard:unit";

/** One text with every unit prettier formats, wrapped; `split` takes prettier's result apart. */
export function prettierInput(units: readonly PrettierUnit[]): string {
  return units
    .map((u) => (u.wrapper === "none" ? u.text : `${u.wrapper === "class" ? "class _" : "interface _"} {\n${u.text}\n}`))
    .join(`\n${MARKER}\n`);
}

/**
 * The formatted lines of each unit, from prettier's text for prettierInput(units); undefined when the
 * text does not come apart as expected (then prettier formats the whole file).
 */
export function splitUnits(formatted: string, units: readonly PrettierUnit[]): string[][] | undefined {
  const pieces: string[][] = [[]];
  for (const line of formatted.replace(/\n$/, "").split("\n")) {
    if (line === MARKER) pieces.push([]);
    else pieces.at(-1)!.push(line);
  }
  if (pieces.length !== units.length) return undefined;
  const out: string[][] = [];
  for (const [i, piece] of pieces.entries()) {
    const wrapper = units[i]!.wrapper;
    if (wrapper === "none") {
      out.push(piece);
      continue;
    }
    const open = wrapper === "class" ? "class _ {" : "interface _ {";
    if (piece[0] !== open || piece.at(-1) !== "}" || piece.length < 3) return undefined;
    out.push(piece.slice(1, -1));
  }
  return out;
}

/** The file's text: laid-out lines with each unit's formatted lines in its place. */
export function assemble(layout: Layout, formatted: readonly (readonly string[])[]): string {
  const out: string[] = [];
  for (const part of layout.parts) {
    if (typeof part === "string") out.push(part);
    else out.push(...formatted[part]!);
  }
  return `${out.join("\n")}\n`;
}
