/**
 * Escaping for every string that travels from a spec into generated code. A hostile spec must not be
 * able to close a string, a comment or a template literal, or to start a new line in a line comment.
 */

const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/**
 * Bidirectional formatting characters: they can make code display in an order other than the one
 * it runs in ("Trojan Source", CVE-2021-42574). Escaped in literals, dropped from comments.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * A double-quoted string literal; also escapes the line and paragraph separators JSON leaves raw
 * and the bidirectional formatting characters.
 */
export function stringLiteral(value: string): string {
  return (
    JSON.stringify(value)
      .replace(/[\u2028\u2029]/g, unicodeEscape)
      .replace(BIDI, unicodeEscape)
      // A string ending in a backslash ends with \u005c instead: written for ts-morph's writer (which took
      // the quote after "...\\" for an escaped one), which no longer prints this code; kept so output
      // stays byte-identical.
      .replace(/\\\\"$/, '\\u005c"')
  );
}

/**
 * Text for a JSDoc block: no comment terminator, no comment opener, no control or bidi characters,
 * plain \n line breaks. `/*` is split too: ts-morph's writer, which printed this code before the
 * declaration-tree printer, took it for the start of a nested comment; kept so output stays
 * byte-identical. (Terminators go first: splitting an opener can never create one.)
 */
export function docText(value: string): string {
  return value
    .replace(LINE_BREAKS, "\n")
    .replace(CONTROL, "")
    .replace(BIDI, "")
    .replace(/\*\//g, "*\\/")
    .replace(/\/\*/g, "/\\*")
    .replace(/^(\s*)@/gm, "$1\\@")
    .trim();
}

/** Text for a single-line comment: line breaks become spaces; no control or bidi characters. */
export function lineCommentText(value: string): string {
  return value.replace(LINE_BREAKS, " ").replace(CONTROL, "").replace(BIDI, "");
}

/**
 * A static part of a template literal: backslashes, backticks and every `$` escaped (not only `${`:
 * a part that ends in `$` may be followed by another static part that starts with `{`). Line breaks
 * are escaped too: a template reads a raw CR or CRLF as LF, so "\r" would silently become "\n".
 */
export function templatePart(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\$/g, "\\$")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/[\u2028\u2029]/g, unicodeEscape)
    .replace(CONTROL, unicodeEscape)
    .replace(BIDI, unicodeEscape);
}

/**
 * A property key in an object literal or type: bare when it is an identifier name, quoted otherwise.
 * `__proto__` is computed: written bare or quoted in an object literal it sets the prototype instead
 * of defining a property.
 */
export function propertyKey(key: string): string {
  if (key === "__proto__") return `[${stringLiteral(key)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : stringLiteral(key);
}
