/**
 * Escaping for every string that travels from a spec into generated code. A hostile spec must not be
 * able to close a string, a comment or a template literal, or to start a new line in a line comment.
 */

const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A double-quoted string literal; also escapes the line and paragraph separators JSON leaves raw. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Text for a JSDoc block: no comment terminator, no control characters, plain \n line breaks. */
export function docText(value: string): string {
  return value
    .replace(LINE_BREAKS, "\n")
    .replace(CONTROL, "")
    .replace(/\*\//g, "*\\/")
    .replace(/^(\s*)@/gm, "$1\\@")
    .trim();
}

/** Text for a single-line comment: line breaks become spaces. */
export function lineCommentText(value: string): string {
  return value.replace(LINE_BREAKS, " ").replace(CONTROL, "");
}

/** A static part of a template literal: backslashes, backticks and `${` escaped. */
export function templatePart(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\$\{/g, "\\${")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A property key in an object literal or type: bare when it is an identifier name, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : stringLiteral(key);
}
