/**
 * JSDoc blocks set aside while prettier formats the code around them. They are most of a big output's
 * characters (60% of GitHub's resources) and prettier's time grows with their length, yet prettier
 * prints an own-line block in the shape the emitters write the same way whatever it says: verbatim when
 * it is one line, else each line after the first at the indentation of the line the block starts on,
 * after one space. So each such block is swapped for a short placeholder before formatting and put back,
 * re-indented that way, after. Other blocks (another shape, or not alone at the start of their line)
 * are left for prettier.
 */

/** A placeholder: `/**` then the block's index then `*\/`, one line. */
const PLACEHOLDER = /^\/\*\*(\d+)\*\/$/;

export interface SetAside {
  readonly text: string;
  readonly blocks: readonly string[];
}

/** Replaces every JSDoc block that starts its line (outside strings and templates) by a placeholder. */
export function setDocCommentsAside(text: string): SetAside {
  const blocks: string[] = [];
  const out = scanBlockComments(text, (comment, atLineStart) => {
    if (!atLineStart || !comment.startsWith("/**") || !isCanonical(comment)) return undefined;
    blocks.push(comment);
    return `/**${blocks.length - 1}*/`;
  });
  return { text: out, blocks };
}

/**
 * Puts the blocks back into formatted text, re-indented as prettier indents them. Undefined when a
 * placeholder is missing, repeated or no longer alone at the start of its line: the caller then formats
 * the original text instead.
 */
export function restoreDocComments(formatted: string, blocks: readonly string[]): string | undefined {
  const seen = new Array<boolean>(blocks.length).fill(false);
  let failed = false;
  const out = scanBlockComments(formatted, (comment, atLineStart, indent) => {
    const match = PLACEHOLDER.exec(comment);
    if (!match) return undefined;
    const index = Number(match[1]);
    if (!atLineStart || index >= blocks.length || seen[index]) {
      failed = true;
      return undefined;
    }
    seen[index] = true;
    return printed(blocks[index]!, indent);
  });
  return failed || seen.includes(false) ? undefined : out;
}

/**
 * Blocks in the shape the emitters write, the only ones set aside: one line (`/** text *\/`), or `/**`,
 * lines of `*` or `* text` (no trailing white space), and `*\/` on a line of its own.
 */
function isCanonical(comment: string): boolean {
  if (!comment.includes("\n")) return /^\/\*\* \S(.*\S)? \*\/$/.test(comment);
  const lines = comment.split("\n");
  return (
    lines[0] === "/**" &&
    /^[ \t]*\*\/$/.test(lines[lines.length - 1]!) &&
    lines.slice(1, -1).every((line) => /^[ \t]*\*( .*\S)?$/.test(line) && !/\*\//.test(line))
  );
}

/** A canonical block as prettier prints it at the start of a line indented by `indent`. */
function printed(comment: string, indent: string): string {
  return comment
    .split("\n")
    .map((line, i) => (i === 0 ? line : `${indent} ${line.trimStart()}`))
    .join("\n");
}

/**
 * Calls `visit` for every block comment outside string literals, template literals and line comments,
 * with whether only spaces and tabs precede it on its line, and those; a string it returns replaces the
 * comment. Enough of TypeScript's lexical grammar for generated code, which has no regular expressions.
 */
function scanBlockComments(text: string, visit: (comment: string, atLineStart: boolean, indent: string) => string | undefined): string {
  const parts: string[] = [];
  let copied = 0;
  // Brace depth of each open template expression (`${ ... }`), innermost last.
  const templates: number[] = [];
  let braces = 0;
  const skipTemplate = (from: number): number => {
    // From just after "`" or "}": to just after the closing "`", or just after "${" (pushing it).
    for (let i = from; i < text.length; i++) {
      const c = text[i];
      if (c === "\\") i++;
      else if (c === "`") return i + 1;
      else if (c === "$" && text[i + 1] === "{") {
        templates.push(braces);
        braces = 0;
        return i + 2;
      }
    }
    return text.length;
  };
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else if (c === "`") {
      i = skipTemplate(i + 1);
    } else if (c === "{") {
      braces++;
      i++;
    } else if (c === "}") {
      if (braces === 0 && templates.length > 0) {
        braces = templates.pop()!;
        i = skipTemplate(i + 1);
      } else {
        braces--;
        i++;
      }
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? text.length : close + 2;
      const lineStart = text.lastIndexOf("\n", i - 1) + 1;
      const before = text.slice(lineStart, i);
      const atLineStart = /^[ \t]*$/.test(before);
      const replacement = visit(text.slice(i, end), atLineStart, atLineStart ? before : "");
      if (replacement !== undefined) {
        parts.push(text.slice(copied, i), replacement);
        copied = end;
      }
      i = end;
    } else {
      i++;
    }
  }
  parts.push(text.slice(copied));
  return parts.join("");
}
