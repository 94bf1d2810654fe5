/**
 * Stage 2a, validate against the JSON Schema of the spec language (draft 2020-12), reporting every
 * error at once, each translated into a readable diagnostic with a precise position.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import schema from "../../schema/spec-v1.schema.json" with { type: "json" };
import { DiagnosticCode, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../common/did-you-mean.js";
import type { PathSegment, SpecSource } from "../parse/parse.js";

export { schema as specSchema };

/** ajv is CommonJS; under NodeNext its default export arrives as the module object. */
const Ajv2020 = AjvModule.default;

let ajv: InstanceType<typeof Ajv2020> | undefined;
let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, discriminator: true, allowUnionTypes: true });
    compiled = ajv.compile(schema);
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
  const errors = dropRedundant(collapseAlternatives([...(validate.errors ?? [])]));
  return errors.map((error) => toDiagnostic(source, value, error));
}

/**
 * An anyOf that fails reports every branch's errors before its own. Those are rebuilt here, one
 * explanation per value: when the value is a mapping or sequence and some branch accepts that kind of
 * value, the problem is inside it, so that branch's errors are kept (a bad item of a list of status
 * codes); otherwise only the anyOf error remains, which names what is allowed.
 *
 * The branch errors are found as the run of errors just before the anyOf error that lie at or under
 * its value: ajv appends them there. The schema's anyOfs have no sibling keywords, so nothing else is
 * reported for those values.
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== "anyOf") {
      out.push(error);
      continue;
    }
    while (out.length > 0 && isAtOrUnder(out[out.length - 1]!.instancePath, error.instancePath)) out.pop();
    out.push(...explainAnyOf(error));
  }
  return out;
}

function explainAnyOf(error: ErrorObject): ErrorObject[] {
  const branches = Array.isArray(error.schema) ? (error.schema as unknown[]) : [];
  const container = typeof error.data === "object" && error.data !== null;
  if (container) {
    for (const branch of branches) {
      const check = branchValidator(branch);
      if (check === undefined || check(error.data)) continue;
      const branchErrors = collapseAlternatives(
        (check.errors ?? []).map((e) => ({ ...e, instancePath: error.instancePath + e.instancePath })),
      );
      const rejectsKind = branchErrors.some(
        (e) => e.instancePath === error.instancePath && ["type", "enum", "const", "anyOf"].includes(e.keyword),
      );
      if (!rejectsKind) return branchErrors;
    }
  }
  return [error];
}

const branchValidators = new Map<unknown, ValidateFunction | undefined>();

/** A validator for one anyOf branch, addressed by its JSON pointer inside the spec schema. */
function branchValidator(branch: unknown): ValidateFunction | undefined {
  if (!branchValidators.has(branch)) {
    const pointer = schemaPointers().get(branch);
    branchValidators.set(
      branch,
      pointer === undefined || ajv === undefined ? undefined : ajv.compile({ $ref: `${schema.$id}#${pointer}` }),
    );
  }
  return branchValidators.get(branch);
}

let pointers: Map<unknown, string> | undefined;

function schemaPointers(): Map<unknown, string> {
  if (pointers === undefined) {
    const found = new Map<unknown, string>();
    const walk = (node: unknown, pointer: string): void => {
      if (typeof node !== "object" || node === null || found.has(node)) return;
      found.set(node, pointer);
      for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    };
    walk(schema, "");
    pointers = found;
  }
  return pointers;
}

function isAtOrUnder(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/**
 * Errors that only repeat another one: the generic "property name must be valid" next to the reason
 * it is not, and a missing discriminator property reported by both required and discriminator.
 */
function dropRedundant(errors: readonly ErrorObject[]): ErrorObject[] {
  const params = (e: ErrorObject): Record<string, unknown> => e.params as Record<string, unknown>;
  return errors.filter((error) => {
    const at = error.instancePath;
    if (error.keyword === "propertyNames") {
      return !errors.some((e) => e !== error && e.instancePath === at && e.propertyName === params(error)["propertyName"]);
    }
    if (error.keyword === "required") {
      const missing = params(error)["missingProperty"];
      return !errors.some(
        (e) => e.keyword === "discriminator" && e.instancePath === at && params(e)["error"] === "tag" && params(e)["tag"] === missing,
      );
    }
    return true;
  });
}

function allowedProperties(error: ErrorObject): string[] {
  return Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
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
  if (error.propertyName !== undefined) return keyDiagnostic(source, path, error.propertyName, error);
  const where = describe(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const allowed = allowedProperties(error);
      const hint = didYouMean(key, allowed);
      const list = hint === "" && allowed.length > 0 && allowed.length <= 16 ? ` (allowed: ${allowed.join(", ")})` : "";
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
      const branches = (Array.isArray(error.schema) ? error.schema : []) as { description?: string; $ref?: string; enum?: unknown[] }[];
      const description =
        branches.find((s) => s.description)?.description ??
        (error.parentSchema as { description?: string } | undefined)?.description ??
        branches.map((s) => (s.$ref === undefined ? undefined : referencedSchema(s.$ref)?.description)).find((d) => d !== undefined);
      const words = branches.flatMap((s) => (s.enum ?? []).map(String));
      const hint = typeof error.data === "string" ? didYouMean(error.data, words) : "";
      return source.diagnostic(
        path,
        DiagnosticCode.InvalidValue,
        `${where}: invalid value ${typeOf(error.data)}${description ? `; expected ${lowerFirst(description)}` : ""}${hint}`,
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
    case "minLength":
    case "minProperties":
      return source.diagnostic(
        path,
        DiagnosticCode.InvalidSize,
        params["limit"] === 1 ? `${where} must not be empty` : `${where} ${error.message ?? "is too small"}`,
      );
    case "maxItems":
    case "maxLength":
    case "maxProperties":
      return source.diagnostic(path, DiagnosticCode.InvalidSize, `${where} ${error.message ?? "is too large"}`);
    case "uniqueItems": {
      // Point at the later of the two, the one to remove (ajv's i and j come in either order).
      const [earlier, later] = [Number(params["i"]), Number(params["j"])].sort((a, b) => a - b) as [number, number];
      const item = Array.isArray(error.data) ? (error.data as unknown[])[later] : undefined;
      return source.diagnostic(
        [...path, later],
        DiagnosticCode.InvalidSize,
        `${describe([...path, later])} repeats ${describe([...path, earlier])} (${typeOf(item)}); each item may appear once`,
      );
    }
    default:
      return source.diagnostic(path, DiagnosticCode.SchemaOther, `${where} ${error.message ?? "is invalid"}`);
  }
}

/** A key of a mapping that its propertyNames schema rejects: point at the key itself. */
function keyDiagnostic(source: SpecSource, path: PathSegment[], key: string, error: ErrorObject): Diagnostic {
  const where = `key ${JSON.stringify(key)} in ${describe(path)}`;
  const params = error.params as Record<string, unknown>;
  const code =
    error.keyword === "pattern"
      ? DiagnosticCode.InvalidFormat
      : ["minLength", "maxLength"].includes(error.keyword)
        ? DiagnosticCode.InvalidSize
        : DiagnosticCode.SchemaOther;
  const why =
    error.keyword === "pattern"
      ? `must match ${String(params["pattern"])}`
      : error.keyword === "minLength" && params["limit"] === 1
        ? "must not be empty"
        : (error.message ?? "is invalid");
  return source.diagnostic([...path, key], code, `${where} ${why}`, { at: "key" });
}

/** The schema a local "#/$defs/x" reference points to. */
function referencedSchema(ref: string): { description?: string } | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = schema;
  for (const token of parsePointer(ref.slice(1))) {
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[token] : undefined;
  }
  return typeof node === "object" && node !== null ? (node as { description?: string }) : undefined;
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
