/**
 * JSON Schema (and OpenAPI 3.0/3.1 schema objects) as the mock needs them: checking a request body and
 * making up an answer. Only what request validation and answer synthesis use is read; keywords it does
 * not know are ignored, so a schema never makes the mock reject a body the provider would accept.
 */
import { createHash } from "node:crypto";
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
  /** Hex digits for the next made-up object's own id (`id`, `sid`); absent: ids follow `sequence`. */
  readonly objectDigits?: () => string;
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
  if ((name === "id" || name === "sid") && context.objectDigits !== undefined) {
    const id = ownId(schema, context.objectDigits());
    if (id !== undefined) return id;
  }
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
      if (typeOf(fixture) !== "object") return out;
      const merged: Record<string, unknown> = { ...out, ...structuredClone(fixture as Record<string, unknown>) };
      // The fixture gives the object's shape and values; its id stays the made-up object's own.
      if (context.objectDigits !== undefined) for (const key of ["id", "sid"]) if (key in out) merged[key] = out[key];
      return merged;
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

/**
 * An example answer with its object's own id (`id` or `sid`, at the top or under one wrapping
 * property) made unique, in the example's form: each answer stands for another object.
 */
export function withFreshId(value: unknown, digits: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  for (const key of ["id", "sid"]) {
    const current = object[key];
    if (typeof current === "string" || typeof current === "number") {
      const schema: Schema = typeof current === "number" ? { type: "integer" } : { type: "string", example: current };
      return { ...object, [key]: ownId(schema, digits) };
    }
  }
  const keys = Object.keys(object);
  if (keys.length !== 1) return value;
  const inner = object[keys[0]!];
  const fresh = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? withFreshId(inner, digits) : inner;
  return fresh === inner ? value : { [keys[0]!]: fresh };
}

/**
 * A made-up object's own id, unique per object: a number, or a string in the form the schema's pattern
 * (Twilio's `^(SM|MM)[0-9a-fA-F]{32}$`) or example (Stripe's `cus_NffrFeUfNV2Hib`) shows.
 */
function ownId(schema: Schema, digits: string): string | number | undefined {
  const wanted = types(schema) ?? (typeof schema.example === "number" ? ["integer"] : ["string"]);
  if (wanted.includes("integer") || wanted.includes("number")) return (parseInt(digits.slice(0, 8), 16) % 1_000_000_000) + 1;
  if (!wanted.includes("string")) return undefined;
  const patterned = typeof schema.pattern === "string" ? fromPattern(schema.pattern, digits) : undefined;
  if (patterned !== undefined) return patterned;
  if (typeof schema.example === "string" && schema.example !== "") {
    const example = schema.example;
    const cut = example.lastIndexOf("_") + 1 || (/^[A-Z]{2}[0-9a-f]{32}$/i.test(example) ? 2 : 0);
    const tail = Math.max(8, example.length - cut);
    return `${example.slice(0, cut)}${digits.repeat(2).slice(0, tail)}`;
  }
  return `mock_${digits.slice(0, 16)}`;
}

/**
 * A string that matches a simple pattern: literals, groups of literal alternatives (the first is
 * taken) and character classes with a fixed count, between ^ and $; undefined for anything else.
 */
export function fromPattern(pattern: string, digits: string): string | undefined {
  const match = /^\^(.*)\$$/.exec(pattern);
  if (match === null) return undefined;
  const body = match[1]!;
  let out = "";
  let used = 0;
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c === "(") {
      const end = body.indexOf(")", i);
      if (end < 0) return undefined;
      const first = body.slice(i + 1, end).split("|")[0]!;
      if (!/^[A-Za-z0-9_-]*$/.test(first)) return undefined;
      out += first;
      i = end + 1;
    } else if (c === "[") {
      const end = body.indexOf("]", i);
      if (end < 0) return undefined;
      const chars = expandClass(body.slice(i + 1, end));
      i = end + 1;
      let count = 1;
      const quantifier = /^\{(\d+)\}/.exec(body.slice(i));
      if (quantifier) {
        count = Number(quantifier[1]);
        i += quantifier[0].length;
      }
      if (chars === undefined || count > 256) return undefined;
      for (let k = 0; k < count; k++) out += chars[parseInt(digits[used++ % digits.length]!, 16) % chars.length];
    } else if (/[A-Za-z0-9_-]/.test(c)) {
      out += c;
      i++;
    } else return undefined;
  }
  return out;
}

/** The characters of a class such as `0-9a-fA-F` (lower case first, so hex stays readable). */
function expandClass(spec: string): string | undefined {
  let chars = "";
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === "-" && i + 2 < spec.length) {
      for (let code = spec.charCodeAt(i); code <= spec.charCodeAt(i + 2); code++) chars += String.fromCharCode(code);
      i += 2;
    } else if (/[A-Za-z0-9_]/.test(spec[i]!)) chars += spec[i];
    else return undefined;
  }
  if (chars === "") return undefined;
  const lower = chars.replace(/[A-Z]/g, "");
  return lower.length >= 16 ? lower : chars;
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
  if (typeof schema.pattern === "string") {
    // The same field gets the same value (an account sid stays one account), in the pattern's form.
    const patterned = fromPattern(schema.pattern, createHash("sha256").update(name).digest("hex"));
    if (patterned !== undefined) return patterned;
  }
  if (name === "id" || name.endsWith("_id") || name === "sid") return `mock_${context.sequence}`;
  return typeof schema.minLength === "number" && schema.minLength > 4 ? "x".repeat(schema.minLength) : "string";
}
