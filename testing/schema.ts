/**
 * JSON Schema (and OpenAPI 3.0/3.1 schema objects) as the mock needs them: checking a request body and
 * making up an answer. Only what request validation and answer synthesis use is read; keywords it does
 * not know are ignored, so a schema never makes the mock reject a body the provider would accept.
 */
import { parsePointer, valueAt } from "../generator/model/schema-to-ts/index.js";

/** A schema and the document its `#/...` references point into. */
export interface SchemaRef {
  readonly schema: unknown;
  readonly root: unknown;
}

export interface SchemaProblem {
  /** Where in the value: property names and indexes. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** `missing`: a required property is absent; `invalid`: a value has the wrong type or is out of range. */
  readonly reason: "missing" | "invalid" | "unknown";
}

type Schema = Readonly<Record<string, unknown>>;
const MAX_DEPTH = 64;

function asSchema(value: unknown): Schema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
}

/** Follows `$ref`s written as `#/...` in the schema's own document; other references are left unresolved. */
export function resolveSchema(schema: unknown, root: unknown): Schema | undefined {
  let current = asSchema(schema);
  for (let hops = 0; current !== undefined && typeof current.$ref === "string" && hops < 32; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith("#")) return undefined;
    const path = parsePointer(ref.slice(1));
    current = path === undefined ? undefined : asSchema(valueAt(root, path));
  }
  return current;
}

function types(schema: Schema): string[] | undefined {
  const t = schema.type;
  const list = typeof t === "string" ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : undefined;
  if (list !== undefined && schema.nullable === true) list.push("null");
  return list;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** A form or query string value read as the type the schema wants (form bodies carry only strings). */
function coerced(value: unknown, wanted: readonly string[]): unknown {
  if (typeof value !== "string") return value;
  if ((wanted.includes("integer") || wanted.includes("number")) && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  if (wanted.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  if (wanted.includes("null") && value === "") return null;
  return value;
}

export interface ValidateOptions {
  /** Strings may stand for numbers and booleans (form-encoded bodies). @default false */
  readonly coerce?: boolean;
}

/** Every problem of `value` against the schema, in document order; empty when it conforms. */
export function validateValue(ref: SchemaRef, value: unknown, options: ValidateOptions = {}): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  check(ref.schema, ref.root, value, [], problems, options.coerce ?? false, 0);
  return problems;
}

function check(
  raw: unknown,
  root: unknown,
  input: unknown,
  path: (string | number)[],
  problems: SchemaProblem[],
  coerce: boolean,
  depth: number,
): void {
  if (depth > MAX_DEPTH || raw === true) return;
  if (raw === false) {
    problems.push({ path, message: "is not allowed", reason: "unknown" });
    return;
  }
  const schema = resolveSchema(raw, root);
  if (schema === undefined) return;
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) check(part, root, input, path, problems, coerce, depth + 1);
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (alternatives !== undefined && alternatives.length > 0) {
    const results = alternatives.map((alt) => {
      const found: SchemaProblem[] = [];
      check(alt, root, input, path, found, coerce, depth + 1);
      return found;
    });
    if (!results.some((r) => r.length === 0)) problems.push(...results.reduce((a, b) => (b.length < a.length ? b : a)));
  }
  const wanted = types(schema);
  const value = coerce && wanted !== undefined ? coerced(input, wanted) : input;
  const actual = typeOf(value);
  if (wanted !== undefined && !wanted.includes(actual) && !(actual === "integer" && wanted.includes("number"))) {
    problems.push({ path, message: `must be ${wanted.join(" or ")}, not ${actual}`, reason: "invalid" });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value || (coerce && String(e) === String(value))))
    problems.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`, reason: "invalid" });
  if ("const" in schema && schema.const !== value && !(coerce && String(schema.const) === String(value)))
    problems.push({ path, message: `must be ${JSON.stringify(schema.const)}`, reason: "invalid" });
  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength)
      problems.push({ path, message: `must be at most ${schema.maxLength} characters`, reason: "invalid" });
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength)
      problems.push({ path, message: `must be at least ${schema.minLength} characters`, reason: "invalid" });
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      problems.push({ path, message: `must be at least ${schema.minimum}`, reason: "invalid" });
    if (typeof schema.maximum === "number" && value > schema.maximum)
      problems.push({ path, message: `must be at most ${schema.maximum}`, reason: "invalid" });
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      problems.push({ path, message: `must have at most ${schema.maxItems} items`, reason: "invalid" });
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      problems.push({ path, message: `must have at least ${schema.minItems} items`, reason: "invalid" });
    if (schema.items !== undefined) value.forEach((item, i) => check(schema.items, root, item, [...path, i], problems, coerce, depth + 1));
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const name of Array.isArray(schema.required) ? schema.required : [])
      if (typeof name === "string" && !Object.hasOwn(object, name))
        problems.push({ path: [...path, name], message: "is required", reason: "missing" });
    const properties = asSchema(schema.properties) ?? {};
    for (const [name, item] of Object.entries(object)) {
      if (Object.hasOwn(properties, name)) check(properties[name], root, item, [...path, name], problems, coerce, depth + 1);
      else if (schema.additionalProperties === false)
        problems.push({ path: [...path, name], message: "is not a known parameter", reason: "unknown" });
      else if (asSchema(schema.additionalProperties) !== undefined)
        check(schema.additionalProperties, root, item, [...path, name], problems, coerce, depth + 1);
    }
  }
}

export interface SynthesizeContext {
  /** Unique per call, for ids. */
  readonly sequence: number;
  /** Epoch milliseconds, for date-time strings and unix-second fields. */
  readonly now: number;
  /**
   * Whole objects to start from, by the value of a property whose schema is a `const` (Stripe's
   * `object: customer`); the schema's declared properties the fixture lacks are made up.
   */
  readonly fixtures?: Readonly<Record<string, unknown>>;
}

/**
 * A value that conforms to the schema: its `example`, `default`, `const` or first `enum` value where it
 * has one, otherwise made up by type (every declared property of an object, one item per array).
 */
export function synthesize(ref: SchemaRef, context: SynthesizeContext): unknown {
  return make(ref.schema, ref.root, context, "", 0, new Set());
}

function make(raw: unknown, root: unknown, context: SynthesizeContext, name: string, depth: number, seen: Set<Schema>): unknown {
  const schema = resolveSchema(raw, root);
  if (schema === undefined || depth > 8 || seen.has(schema)) return null;
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return structuredClone(schema.examples[0]);
  if ("const" in schema) return schema.const;
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const inner = new Set(seen).add(schema);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const parts = schema.allOf.map((part) => make(part, root, context, name, depth + 1, inner));
    return parts.every((p) => typeOf(p) === "object") ? Object.assign({}, ...parts) : parts[0];
  }
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (alternatives !== undefined && alternatives.length > 0) {
    // The first alternative that is not plain null: an answer with data tells a test more than null does.
    const pick = alternatives.find((alt) => types(resolveSchema(alt, root) ?? {})?.join() !== "null") ?? alternatives[0];
    return make(pick, root, context, name, depth + 1, inner);
  }
  const wanted = types(schema) ?? (schema.properties !== undefined ? ["object"] : schema.items !== undefined ? ["array"] : []);
  const type = wanted.find((t) => t !== "null") ?? wanted[0];
  switch (type) {
    case "object": {
      const properties = asSchema(schema.properties) ?? {};
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(properties)) out[key] = make(prop, root, context, key, depth + 1, inner);
      const discriminator = Object.entries(properties).find(([, prop]) => {
        const resolved = resolveSchema(prop, root);
        return resolved !== undefined && typeof resolved.const === "string";
      });
      const fixture = discriminator === undefined ? undefined : context.fixtures?.[String(resolveSchema(discriminator[1], root)!.const)];
      return typeOf(fixture) === "object" ? { ...out, ...structuredClone(fixture as Record<string, unknown>) } : out;
    }
    case "array":
      return schema.items === undefined ? [] : [make(schema.items, root, context, name, depth + 1, inner)];
    case "integer":
    case "number":
      if (/(^|_)(created|updated|at|date|timestamp)$/.test(name)) return Math.floor(context.now / 1000);
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return false;
    case "string":
      return synthesizeString(schema, name, context);
    case "null":
      return null;
    default:
      return null;
  }
}

function synthesizeString(schema: Schema, name: string, context: SynthesizeContext): string {
  switch (schema.format) {
    case "date-time":
      return new Date(context.now).toISOString();
    case "date":
      return new Date(context.now).toISOString().slice(0, 10);
    case "email":
      return "user@example.com";
    case "uri":
    case "url":
      return "https://example.com/";
    case "uuid":
      return `00000000-0000-4000-8000-${String(context.sequence).padStart(12, "0")}`;
  }
  if (name === "id" || name.endsWith("_id") || name === "sid") return `mock_${context.sequence}`;
  return typeof schema.minLength === "number" && schema.minLength > 4 ? "x".repeat(schema.minLength) : "string";
}
