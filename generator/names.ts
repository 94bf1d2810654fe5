/**
 * Names from a spec become readable, valid TypeScript identifiers: words are split on anything that
 * cannot appear in an identifier, joined in camelCase or PascalCase; a leading digit gets an
 * underscore, reserved words get a trailing underscore. Unicode letters are kept.
 */

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield await " +
    "arguments eval undefined NaN Infinity globalThis any unknown never object string number boolean symbol bigint"
  ).split(" "),
);

/** Class members that would break a class or its prototype when used as a method or property name. */
const RESERVED_MEMBERS = new Set(["constructor", "__proto__", "prototype"]);

export type IdentifierCase = "camel" | "pascal";

/** Words of a name: split at non-identifier characters, underscores, and lower-to-upper case changes. */
export function words(name: string): string[] {
  return name
    .normalize("NFC")
    .split(/[^\p{ID_Continue}]+|_+/u)
    .flatMap((part) => part.split(/(?<=[\p{Ll}\p{Nd}])(?=\p{Lu})/u))
    .filter((w) => w.length > 0);
}

function capitalize(word: string): string {
  const [first = "", ...rest] = word;
  return first.toUpperCase() + rest.join("");
}

function decapitalize(word: string): string {
  // Keep acronyms readable: "URLs" -> "urls", "ID" -> "id", "Name" -> "name".
  if (/^\p{Lu}+$/u.test(word) || /^\p{Lu}+s$/u.test(word)) return word.toLowerCase();
  const [first = "", ...rest] = word;
  return first.toLowerCase() + rest.join("");
}

/** The bare identifier, before reserved-word handling. */
export function identifierText(name: string, style: IdentifierCase): string {
  const parts = words(name);
  if (parts.length === 0) return "_";
  const joined = style === "pascal" ? parts.map(capitalize).join("") : decapitalize(parts[0]!) + parts.slice(1).map(capitalize).join("");
  return /^[\p{ID_Start}$_]/u.test(joined) ? joined : `_${joined}`;
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

/** A file name: lower-case words joined with dashes, restricted to ASCII so every file system takes it. */
export function fileName(name: string): string {
  const ascii = words(name)
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((w) => w.length > 0)
    .join("-");
  return ascii === "" ? "resource" : ascii;
}

export function isIdentifier(text: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(text) && !RESERVED.has(text);
}
