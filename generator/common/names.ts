/**
 * Names from a spec become readable, valid TypeScript identifiers: words are split on anything that
 * cannot appear in an identifier, joined in camelCase or PascalCase; a leading digit gets an
 * underscore, reserved words get a trailing underscore. Unicode letters are kept.
 *
 * "Can appear in an identifier" is decided by both tables that matter: the ECMAScript ID_Start /
 * ID_Continue of this Node's Unicode version and TypeScript's scanner, whose tables lag behind (a
 * letter added in Unicode 16 is an identifier to Node 20 but an invalid character to tsc). Invisible
 * characters (Default_Ignorable_Code_Point: ZWJ, variation selectors, the Hangul filler) are
 * separators too, so that two names that look the same cannot become two different identifiers.
 * TypeScript's tables are copied into identifier-tables.ts (scripts/identifier-tables.js writes it; a
 * test compares it with the installed typescript), so naming loads no compiler.
 */
import { TS_IDENTIFIER_PART, TS_IDENTIFIER_START } from "./identifier-tables.js";

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield await " +
    "arguments eval undefined NaN Infinity globalThis any unknown never object string number boolean symbol bigint"
  ).split(" "),
);

/**
 * Class members that would break a class or its prototype when used as a method or property name,
 * or that the language and libraries call implicitly: a resource with a `then` method is a thenable
 * (awaiting it, or returning it from an async function, would send a request and never settle);
 * `toString`, `valueOf`, `toJSON` and friends run on string conversion, comparison and JSON.stringify.
 */
const RESERVED_MEMBERS = new Set([
  "constructor",
  "__proto__",
  "prototype",
  "then",
  "toString",
  "toLocaleString",
  "valueOf",
  "toJSON",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
]);

export type IdentifierCase = "camel" | "pascal";

/** Whether a code point lies in one of a table's [first, last] ranges (binary search). */
export function inRanges(table: readonly number[], cp: number): boolean {
  let low = 0;
  let high = table.length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (cp < table[middle * 2]!) high = middle - 1;
    else if (cp > table[middle * 2 + 1]!) low = middle + 1;
    else return true;
  }
  return false;
}

/** TypeScript's scanner: ASCII letters, `$` and `_` start an identifier; above U+007F its table decides. */
function tsIdentifierStart(cp: number): boolean {
  return cp < 0x80 ? /[A-Za-z$_]/.test(String.fromCharCode(cp)) : inRanges(TS_IDENTIFIER_START, cp);
}

function tsIdentifierPart(cp: number): boolean {
  return cp < 0x80 ? /[A-Za-z0-9$_]/.test(String.fromCharCode(cp)) : inRanges(TS_IDENTIFIER_PART, cp);
}

/** A code point that may start an identifier for both ECMAScript and TypeScript (not `$`, not `_`). */
export function isIdentifierStartChar(char: string): boolean {
  return /^\p{ID_Start}$/u.test(char) && !/^\p{DI}$/u.test(char) && tsIdentifierStart(char.codePointAt(0)!);
}

/** A code point that may continue an identifier for both ECMAScript and TypeScript (not `$`, not `_`). */
export function isIdentifierPartChar(char: string): boolean {
  return char !== "_" && /^\p{ID_Continue}$/u.test(char) && !/^\p{DI}$/u.test(char) && tsIdentifierPart(char.codePointAt(0)!);
}

/** Words of a name: split at non-identifier characters, underscores, and lower-to-upper case changes. */
export function words(name: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (const char of name.normalize("NFC")) {
    if (isIdentifierPartChar(char)) {
      current += char;
    } else if (current !== "") {
      parts.push(current);
      current = "";
    }
  }
  if (current !== "") parts.push(current);
  return parts.flatMap((part) => part.split(/(?<=[\p{Ll}\p{Nd}])(?=\p{Lu})/u)).filter((w) => w.length > 0);
}

/**
 * A case mapping of one character, or the character itself when the mapping is not an identifier
 * part (case pairs are still being added: U+019B's capital arrived in Unicode 16, after TypeScript's tables).
 */
function mapCase(char: string, to: "upper" | "lower"): string {
  const mapped = to === "upper" ? char.toUpperCase() : char.toLowerCase();
  return [...mapped].every(isIdentifierPartChar) ? mapped : char;
}

function capitalize(word: string): string {
  const [first = "", ...rest] = word;
  return mapCase(first, "upper") + rest.join("");
}

function decapitalize(word: string): string {
  // Keep acronyms readable: "URLs" -> "urls", "ID" -> "id", "Name" -> "name".
  if (/^\p{Lu}+$/u.test(word) || /^\p{Lu}+s$/u.test(word)) return [...word].map((c) => mapCase(c, "lower")).join("");
  const [first = "", ...rest] = word;
  return mapCase(first, "lower") + rest.join("");
}

/** The bare identifier, before reserved-word handling. */
export function identifierText(name: string, style: IdentifierCase): string {
  const parts = words(name);
  if (parts.length === 0) return "_";
  const joined = style === "pascal" ? parts.map(capitalize).join("") : decapitalize(parts[0]!) + parts.slice(1).map(capitalize).join("");
  const [first = ""] = joined;
  return isIdentifierStartChar(first) ? joined : `_${joined}`;
}

/** An identifier usable as a variable, function, class or type name. */
export function bindingName(name: string, style: IdentifierCase): string {
  const id = identifierText(name, style);
  return RESERVED.has(id) ? `${id}_` : id;
}

/** An identifier usable as a class member or object property (reserved words are fine there). */
export function memberName(name: string): string {
  const id = identifierText(name, "camel");
  return RESERVED_MEMBERS.has(id) ? `${id}_` : id;
}

/** Device names Windows refuses as a file name, whatever the extension (con.ts is CON). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * A file name: lower-case words joined with dashes, restricted to ASCII so every file system takes
 * it; Windows device names get a "-group" suffix.
 */
export function fileName(name: string): string {
  const ascii = words(name)
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((w) => w.length > 0)
    .join("-");
  if (ascii === "") return "resource";
  return WINDOWS_DEVICES.test(ascii) ? `${ascii}-group` : ascii;
}

/** Whether text is an identifier this module could have produced: valid everywhere, not reserved. */
export function isIdentifier(text: string): boolean {
  const [first = "", ...rest] = text;
  return (
    (first === "_" || first === "$" || isIdentifierStartChar(first)) &&
    rest.every((c) => c === "_" || c === "$" || isIdentifierPartChar(c)) &&
    !RESERVED.has(text)
  );
}
