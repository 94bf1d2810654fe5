/**
 * Stage 2a, validate against the JSON Schema of the spec language (draft 2020-12), reporting every
 * error at once, each translated into a readable diagnostic with a precise position.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import schema from "../schema/spec-v1.schema.json" with { type: "json" };
import { DiagnosticCode, type Diagnostic } from "./diagnostics.js";
import { didYouMean } from "./did-you-mean.js";
import type { PathSegment, SpecSource } from "./parse.js";

export { schema as specSchema };

/** ajv is CommonJS; under NodeNext its default export arrives as the module object. */
const Ajv2020 = AjvModule.default;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    compiled = new Ajv2020({ allErrors: true, verbose: true, strict: true, discriminator: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** Friendlier messages for formats declared once in $defs. */
const patternMessages: Record<string, string> = {
  duration: "a duration is a number and a unit: ms, s, m, h or d (500ms, 30s, 1h)",
  date: "a date is written YYYY-MM-DD",
  jsonPath: "a JSON path is written $.a.b[0].c",
  url: "must be an absolute http(s) URL",
  headerName: "must be a valid HTTP header name",
};

export function validateAgainstSchema(source: SpecSource, value: unknown): Diagnostic[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  return collapseAlternatives(errors).map((error) => toDiagnostic(source, value, error));
}

/**
 * anyOf alternatives produce one error per branch plus the anyOf itself. Keep only the anyOf error,
 * which names what is allowed, unless a branch matched the value's type and failed deeper down.
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === "anyOf");
  return errors.filter((e) => {
    if (e.keyword === "anyOf") return true;
    return !anyOfs.some(
      (a) =>
        a.instancePath === e.instancePath &&
        e.schemaPath.startsWith(a.schemaPath.slice(0, -"anyOf".length)) &&
        e.schemaPath !== a.schemaPath,
    );
  });
}

function parsePointer(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** ajv gives array indexes as strings; the locator accepts both, but keep numbers for arrays. */
function toPath(document: unknown, pointer: string): PathSegment[] {
  const path: PathSegment[] = [];
  let node = document;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      const index = Number(token);
      path.push(index);
      node = node[index];
    } else {
      path.push(token);
      node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[token] : undefined;
    }
  }
  return path;
}

function describe(path: readonly PathSegment[]): string {
  if (path.length === 0) return "the spec";
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
    .join("");
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a sequence";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function toDiagnostic(source: SpecSource, document: unknown, error: ErrorObject): Diagnostic {
  const path = toPath(document, error.instancePath);
  const where = describe(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = didYouMean(key, allowed);
      const list = hint === "" && allowed.length > 0 && allowed.length <= 12 ? ` (allowed: ${allowed.join(", ")})` : "";
      return source.diagnostic([...path, key], DiagnosticCode.UnknownProperty, `unknown property "${key}" in ${where}${hint}${list}`, {
        at: "key",
      });
    }
    case "required": {
      const key = String(params["missingProperty"]);
      return source.diagnostic(path, DiagnosticCode.MissingProperty, `${where} is missing the required property "${key}"`, { at: "key" });
    }
    case "type": {
      const expected = String(params["type"]).replace(/,/g, " or ");
      return source.diagnostic(path, DiagnosticCode.WrongType, `${where} must be ${article(expected)}, found ${typeOf(error.data)}`);
    }
    case "enum": {
      const allowed = ((params["allowedValues"] as unknown[]) ?? []).map((v) => String(v));
      const hint = typeof error.data === "string" ? didYouMean(error.data, allowed) : "";
      return source.diagnostic(
        path,
        DiagnosticCode.InvalidValue,
        `${where} must be one of ${allowed.join(", ")}; found ${typeOf(error.data)}${hint}`,
      );
    }
    case "const":
      return source.diagnostic(
        path,
        DiagnosticCode.InvalidValue,
        `${where} must be ${JSON.stringify(params["allowedValue"])}, found ${typeOf(error.data)}`,
      );
    case "discriminator": {
      const tag = String(params["tag"]);
      const allowed = schemaEnum(error.parentSchema, tag);
      if (params["error"] === "tag" && typeof error.data === "object" && error.data !== null && !(tag in error.data)) {
        return source.diagnostic(
          path,
          DiagnosticCode.MissingProperty,
          `${where} is missing the required property "${tag}" (one of ${allowed.join(", ")})`,
          { at: "key" },
        );
      }
      const found = params["tagValue"];
      const hint = typeof found === "string" ? didYouMean(found, allowed) : "";
      return source.diagnostic(
        [...path, tag],
        DiagnosticCode.InvalidValue,
        `${where}.${tag} must be one of ${allowed.join(", ")}; found ${typeOf(found)}${hint}`,
      );
    }
    case "pattern": {
      const def = /\$defs\/([A-Za-z]+)\/pattern$/.exec(error.schemaPath)?.[1];
      const why = (def && patternMessages[def]) ?? `must match ${String(params["pattern"])}`;
      return source.diagnostic(path, DiagnosticCode.InvalidFormat, `${where}: invalid value ${typeOf(error.data)}: ${why}`);
    }
    case "anyOf": {
      const description =
        (error.schema as { description?: string }[] | undefined)?.find((s) => s.description)?.description ??
        (error.parentSchema as { description?: string } | undefined)?.description;
      return source.diagnostic(
        path,
        DiagnosticCode.InvalidValue,
        `${where}: invalid value ${typeOf(error.data)}${description ? `; expected ${lowerFirst(description)}` : ""}`,
      );
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return source.diagnostic(
        path,
        DiagnosticCode.OutOfRange,
        `${where} ${error.message ?? "is out of range"}, found ${typeOf(error.data)}`,
      );
    case "minItems":
    case "maxItems":
    case "minLength":
    case "maxLength":
    case "minProperties":
    case "maxProperties":
    case "uniqueItems":
      return source.diagnostic(path, DiagnosticCode.InvalidSize, `${where} ${error.message ?? "has the wrong size"}`);
    default:
      return source.diagnostic(path, DiagnosticCode.SchemaOther, `${where} ${error.message ?? "is invalid"}`);
  }
}

function schemaEnum(parentSchema: unknown, tag: string): string[] {
  const values = (parentSchema as { properties?: Record<string, { enum?: unknown[] }> } | undefined)?.properties?.[tag]?.enum;
  return (values ?? []).map(String);
}

function article(type: string): string {
  if (type === "object") return "a mapping";
  if (type === "array") return "a sequence";
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, "");
}
