/**
 * JSON Schema to TypeScript type text. One converter serves one output module: every `$ref` target
 * becomes one named declaration (recursive references included), inline schemas become inline types.
 *
 * The mapping, construct by construct:
 * - type string / number / integer / boolean / null: the keyword type; a type array: their union;
 *   OpenAPI 3.0 `nullable: true` adds `null`
 * - enum / const: a union of literal types
 * - object: `properties` (sorted by name) with `required` ones required; `additionalProperties` as an
 *   index signature (absent: closed when there are properties, `unknown` values when there are none)
 * - array: `items` -> `T[]`; `prefixItems` (or draft-4 `items: [...]`) -> a tuple
 * - oneOf / anyOf: a union; allOf: an intersection; both beside `type` or `properties`: intersected
 * - `$ref`: the target's declaration by name; description, deprecated and a short example: JSDoc
 * - OpenAPI `discriminator` beside oneOf/anyOf of `$ref`s: each member intersected with its tag
 *   (`{ petType: "cat" }`, values from `mapping` or the target's name), a discriminated union;
 *   members that are not object schemas stay untagged
 * - `format: binary` strings: `Blob | Uint8Array` in request types (files in multipart bodies)
 * - readOnly / writeOnly properties: left out of request types / response types. A `$ref` target whose
 *   schema (or anything it refers to) marks properties so gets one declaration per direction, the
 *   request one named `<Name>Input`
 * - an object type written out the same way (at least MIN_SHARED_LENGTH characters) in two or more
 *   places becomes one declaration, named after its `title` or else the property it first appears
 *   under (GitHub's webhook document repeats its user object 400 times)
 * Keywords that only validate (format, pattern, minimum, ...) do not change the type. Keywords whose
 * meaning a type cannot carry (not, if/then/else, patternProperties, ...) make the schema `unknown`
 * and add a warning: a wider type, never a wrong one.
 */
import { nodesOnCycles } from "./cycles.js";
import { assignNames } from "./names.js";
import { isSchema, localRefResolver, toPointer } from "./refs.js";
import {
  arrayOf,
  BLOB,
  BOOLEAN,
  eagerReferences,
  forEachShared,
  intersection,
  isLargeObject,
  literalType,
  NEVER,
  NULL,
  NUMBER,
  objectType,
  printType,
  ref,
  shared,
  STRING,
  tupleOf,
  UINT8ARRAY,
  UNDEFINED,
  union,
  UNKNOWN,
  type ObjectNode,
  type TypeNode,
} from "./type-tree.js";
import type { ConversionWarning, JsonSchema, RefResolver, SchemaLocation, TypeDeclaration } from "./types.js";

/** Keywords a TypeScript type cannot express: the schema degrades to `unknown` with a warning. */
const UNSUPPORTED = [
  "not",
  "if",
  "then",
  "else",
  "patternProperties",
  "dependentSchemas",
  "dependencies",
  "unevaluatedProperties",
  "unevaluatedItems",
  "$dynamicRef",
  "$recursiveRef",
] as const;

/** Deeper inline nesting than this is refused (a schema generated to exhaust the converter). */
const MAX_DEPTH = 64;

/** Which side of the wire a type describes: readOnly properties are not sent, writeOnly ones not received. */
export type Direction = "request" | "response";

export interface TypeOfOptions {
  /** @default neither: readOnly and writeOnly properties are both kept */
  readonly direction?: Direction;
}

export interface ConverterOptions {
  /** @default localRefResolver: `#/...` pointers into the schema's own document */
  readonly resolveRef?: RefResolver;
}

export interface FinishOptions {
  /** Names the declarations must not take (names declared beside them). */
  readonly reserved?: Iterable<string>;
}

export interface ConversionResult {
  /** Declarations sorted by name; their text refers to each other by name. */
  readonly declarations: readonly TypeDeclaration[];
  readonly warnings: readonly ConversionWarning[];
  /** A type `typeOf` returned, printed with references written as `qualify(name)` (default: the bare name). */
  text(type: TypeNode, qualify?: (name: string) => string): string;
}

interface Target {
  readonly name: string;
  readonly location: SchemaLocation;
  readonly schema: JsonSchema;
  /** Index references to it carry. */
  readonly index: number;
  /** Set when the target has a declaration per direction. */
  readonly direction?: Direction;
}

/** The name of the property a schema is the value of (the nearest one up its path), else "Inline". */
function propertyName(location: SchemaLocation): string {
  const path = location.path;
  for (let i = path.length - 1; i > 0; i--) if (path[i - 1] === "properties" && typeof path[i] === "string") return path[i] as string;
  return "Inline";
}

/** The location of a child of the schema at `location`. */
function at(location: SchemaLocation, ...segments: (string | number)[]): SchemaLocation {
  return { document: location.document, path: [...location.path, ...segments] };
}

/** Object types at least this long (unformatted) that occur twice or more get a declaration of their own. */
const MIN_SHARED_LENGTH = 200;

/** An object type that may be shared: its type, and where and under which name it was first seen. */
interface Shared {
  readonly index: number;
  readonly type: ObjectNode;
  /** The occurrence with the smallest `<document>#<pointer>`, and its name hint. */
  id: string;
  name: string;
  description?: string;
}

export class SchemaConverter {
  readonly #resolveRef: RefResolver;
  readonly #targets = new Map<string, Target>();
  readonly #byIndex: string[] = [];
  readonly #converted = new Map<string, { type: TypeNode; description?: string; deprecated?: boolean }>();
  readonly #warnings = new Map<string, ConversionWarning>();
  readonly #shared = new Map<string, Shared>();
  readonly #sharedByIndex: Shared[] = [];
  readonly #roots: TypeNode[] = [];
  /** Direction of the conversion under way. */
  #direction: Direction | undefined;
  /** Final answers of #marks, by target id. */
  readonly #markAnswers = new Map<string, boolean>();
  /** Targets #marks is walking, with their depth. */
  readonly #markWalks = new Map<string, number>();

  constructor(options: ConverterOptions = {}) {
    this.#resolveRef = options.resolveRef ?? localRefResolver;
  }

  /** The type of a schema, as a tree; `finish()` names what it refers to and prints it. */
  typeOf(schema: unknown, location: SchemaLocation, options: TypeOfOptions = {}): TypeNode {
    this.#direction = options.direction;
    const type = this.#convert(schema, location, 0);
    this.#direction = undefined;
    this.#roots.push(type);
    return type;
  }

  /** Converts every referenced target (transitively), names them and returns the declarations. */
  finish(options: FinishOptions = {}): ConversionResult {
    for (let i = 0; i < this.#byIndex.length; i++) {
      const id = this.#byIndex[i]!;
      const target = this.#targets.get(id)!;
      const schema = target.schema;
      this.#direction = target.direction;
      const type = this.#convert(schema, target.location, 0, true);
      this.#direction = undefined;
      const meta = typeof schema === "object" ? schema : {};
      this.#converted.set(id, {
        type,
        ...(typeof meta["description"] === "string" && { description: meta["description"] }),
        ...(meta["deprecated"] === true && { deprecated: true }),
      });
    }

    // A declaration that refers to itself outside an object, array or tuple (through others or not)
    // would not compile: it becomes unknown.
    const eager = new Map(this.#byIndex.map((id, i) => [i, eagerReferences(this.#converted.get(id)!.type)]));
    for (const i of [...nodesOnCycles(eager)].sort((a, b) => a - b)) {
      const id = this.#byIndex[i]!;
      const target = this.#targets.get(id)!;
      this.#warn(target.location, "refers to itself other than through an object, array or tuple; the type is unknown");
      this.#converted.set(id, { ...this.#converted.get(id)!, type: UNKNOWN });
    }

    // An object type is shared when it is written twice or more in the texts that end up in the
    // output once each: roots, declarations, and shared types themselves.
    const counts = new Array<number>(this.#sharedByIndex.length).fill(0);
    const count = (type: TypeNode) => forEachShared(type, (index) => counts[index]!++);
    this.#roots.forEach(count);
    for (const c of this.#converted.values()) count(c.type);
    for (const s of this.#sharedByIndex) count(s.type);
    const extracted = this.#sharedByIndex.filter((s) => counts[s.index]! >= 2);

    // Referenced schemas claim names before shared object types ("1" sorts before "2").
    const names = assignNames(
      new Map([
        ...[...this.#targets].map(([id, t]): [string, string] => [`1${id}`, t.name]),
        ...extracted.map((s): [string, string] => [`2${s.id}`, s.name]),
      ]),
      options.reserved,
    );
    const targetName = (index: number) => names.get(`1${this.#byIndex[index]!}`)!;
    const sharedName = new Map(extracted.map((s) => [s.index, names.get(`2${s.id}`)!]));
    const text = (type: TypeNode, qualify: (name: string) => string = (n) => n): string => {
      const names = {
        ref: (index: number) => qualify(targetName(index)),
        shared: (index: number): string => {
          const name = sharedName.get(index);
          return name !== undefined ? qualify(name) : printType(this.#sharedByIndex[index]!.type, names);
        },
      };
      return printType(type, names);
    };
    const declarations = [
      // The declaration's id is where its schema is: both directions of one target share it (the
      // target's own key also names its direction, after a NUL that must not reach the output).
      ...[...this.#converted].map(([id, c]): TypeDeclaration => {
        const { location } = this.#targets.get(id)!;
        return { name: names.get(`1${id}`)!, id: `${location.document.id}#${toPointer(location.path)}`, ...c, type: text(c.type) };
      }),
      ...extracted.map((s): TypeDeclaration => ({
        name: sharedName.get(s.index)!,
        id: s.id,
        type: text(s.type),
        ...(s.description !== undefined && { description: s.description }),
      })),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const warnings = [...this.#warnings.values()];
    return { declarations, warnings, text };
  }

  /** A large object type as a shared type; whether it gets a declaration of its own is decided in finish(). */
  #share(type: TypeNode, schema: { readonly [keyword: string]: unknown }, location: SchemaLocation): TypeNode {
    if (!isLargeObject(type, MIN_SHARED_LENGTH)) return type;
    const id = `${location.document.id}#${toPointer(location.path)}`;
    const title = typeof schema["title"] === "string" && schema["title"].trim() !== "" ? schema["title"] : undefined;
    const hint = title ?? propertyName(location);
    const description = typeof schema["description"] === "string" ? schema["description"] : undefined;
    let candidate = this.#shared.get(type.key);
    if (candidate === undefined) {
      candidate = { index: this.#sharedByIndex.length, type, id, name: hint, ...(description !== undefined && { description }) };
      this.#shared.set(type.key, candidate);
      this.#sharedByIndex.push(candidate);
    } else if (id < candidate.id) {
      // The name comes from the first occurrence in pointer order, not in visiting order.
      candidate.id = id;
      candidate.name = hint;
      if (description !== undefined) candidate.description = description;
      else delete candidate.description;
    }
    return shared(candidate.index);
  }

  #warn(location: SchemaLocation, message: string): void {
    const key = `${location.document.id}#${toPointer(location.path)}\u0000${message}`;
    if (!this.#warnings.has(key)) this.#warnings.set(key, { location, message });
  }

  #reference(refText: string, location: SchemaLocation): TypeNode {
    const resolved = this.#resolveRef(refText, location);
    if (resolved === undefined) {
      this.#warn(at(location, "$ref"), `cannot resolve $ref ${JSON.stringify(refText)}; the type is unknown`);
      return UNKNOWN;
    }
    const pointerId = `${resolved.location.document.id}#${toPointer(resolved.location.path)}`;
    const direction =
      this.#direction !== undefined && this.#marks(pointerId, resolved.schema, resolved.location).marked ? this.#direction : undefined;
    const id = direction === undefined ? pointerId : `${pointerId}\u0000${direction}`;
    let target = this.#targets.get(id);
    if (target === undefined) {
      target = {
        name: direction === "request" ? `${resolved.name} input` : resolved.name,
        location: resolved.location,
        schema: resolved.schema,
        index: this.#byIndex.length,
        ...(direction !== undefined && { direction }),
      };
      this.#targets.set(id, target);
      this.#byIndex.push(id);
    }
    return ref(target.index);
  }

  /**
   * Whether the schema at `id` marks a property readOnly or writeOnly (or has a binary string, typed
   * differently in requests), itself or through the schemas
   * it refers to. Answers are remembered per target; on a cycle, an answer that depends on a target
   * still being walked further up is not remembered until that target's walk ends (Tarjan's low link),
   * so every remembered answer is final. Each target is walked about once: GitHub's description makes
   * thousands of these queries.
   */
  #marks(id: string, schema: unknown, location: SchemaLocation, depth = 0): { marked: boolean; low: number } {
    const known = this.#markAnswers.get(id);
    if (known !== undefined) return { marked: known, low: Number.POSITIVE_INFINITY };
    const open = this.#markWalks.get(id);
    if (open !== undefined) return { marked: false, low: open };
    this.#markWalks.set(id, depth);
    let low = Number.POSITIVE_INFINITY;
    const walk = (node: unknown, at: SchemaLocation): boolean => {
      if (typeof node !== "object" || node === null) return false;
      if (Array.isArray(node)) return node.some((item) => walk(item, at));
      const schema = node as { readonly [keyword: string]: unknown };
      if (schema["readOnly"] === true || schema["writeOnly"] === true || schema["format"] === "binary") return true;
      const ref = schema["$ref"];
      if (typeof ref === "string") {
        const resolved = this.#resolveRef(ref, at);
        if (resolved !== undefined) {
          const target = `${resolved.location.document.id}#${toPointer(resolved.location.path)}`;
          const answer = this.#marks(target, resolved.schema, resolved.location, depth + 1);
          if (answer.marked) return true;
          low = Math.min(low, answer.low);
        }
      }
      for (const key in schema) {
        if (key === "$ref" || key === "example" || key === "examples" || key === "enum" || key === "const" || key === "default") continue;
        if (walk(schema[key], at)) return true;
      }
      return false;
    };
    const marked = walk(schema, location);
    this.#markWalks.delete(id);
    if (marked || low >= depth) {
      this.#markAnswers.set(id, marked);
      return { marked, low: Number.POSITIVE_INFINITY };
    }
    return { marked, low };
  }

  #convert(schema: unknown, location: SchemaLocation, depth: number, declaration = false): TypeNode {
    if (schema === true) return UNKNOWN;
    if (schema === false) return NEVER;
    if (!isSchema(schema) || typeof schema === "boolean") {
      this.#warn(location, "not a schema (an object or a boolean); the type is unknown");
      return UNKNOWN;
    }
    if (depth > MAX_DEPTH) {
      this.#warn(location, `schemas nested deeper than ${MAX_DEPTH} levels; the type is unknown`);
      return UNKNOWN;
    }
    const unsupported = UNSUPPORTED.filter((k) => Object.prototype.hasOwnProperty.call(schema, k));
    if (unsupported.length > 0) {
      this.#warn(at(location, unsupported[0]!), `${unsupported.join(", ")} cannot be expressed as a TypeScript type; the type is unknown`);
      return UNKNOWN;
    }
    const parts: TypeNode[] = [];

    const ref = schema["$ref"];
    if (ref !== undefined) {
      if (typeof ref !== "string") {
        this.#warn(at(location, "$ref"), "$ref is not a string; the type is unknown");
        return UNKNOWN;
      }
      parts.push(this.#reference(ref, location));
    }

    const base = this.#baseType(schema, location, depth, declaration);
    // An open object ({ [key: string]: unknown }) next to a composition or a $ref says nothing the
    // composition does not; intersecting it would make every property name valid.
    const composed = ref !== undefined || ["allOf", "oneOf", "anyOf"].some((k) => Array.isArray(schema[k]));
    if (base !== undefined && !(composed && base.open)) parts.push(base.type);

    const list = (keyword: string): TypeNode[] | undefined => {
      const value = schema[keyword];
      if (value === undefined) return undefined;
      if (!Array.isArray(value)) {
        this.#warn(at(location, keyword), `${keyword} is not an array; it is ignored`);
        return undefined;
      }
      return value.map((member, i) => this.#convert(member, at(location, keyword, i), depth + 1));
    };
    const allOf = list("allOf");
    if (allOf) parts.push(intersection(allOf));
    const oneOf = list("oneOf");
    if (oneOf) parts.push(union(this.#discriminated(schema, "oneOf", oneOf, location)));
    const anyOf = list("anyOf");
    if (anyOf) parts.push(union(this.#discriminated(schema, "anyOf", anyOf, location)));

    if (parts.length === 0) return UNKNOWN;
    const type = intersection(parts);
    // OpenAPI 3.0: null is allowed besides whatever the rest of the schema allows.
    return schema["nullable"] === true ? union([type, NULL]) : type;
  }

  /**
   * OpenAPI's discriminator: each `$ref` member of the union is intersected with its tag, so that
   * checking the property narrows the union. Tag values come from `mapping` (values are refs or
   * schema names), else from the target's name, as OpenAPI defines.
   */
  #discriminated(
    schema: { readonly [keyword: string]: unknown },
    keyword: "oneOf" | "anyOf",
    members: TypeNode[],
    location: SchemaLocation,
  ): TypeNode[] {
    const discriminator = schema["discriminator"];
    if (typeof discriminator !== "object" || discriminator === null) return members;
    const property = (discriminator as { readonly propertyName?: unknown }).propertyName;
    if (typeof property !== "string") {
      this.#warn(at(location, "discriminator"), "discriminator has no propertyName; it is ignored");
      return members;
    }
    const mapping = (discriminator as { readonly mapping?: unknown }).mapping;
    const entries = typeof mapping === "object" && mapping !== null ? Object.entries(mapping as Record<string, unknown>) : [];
    const list = schema[keyword] as unknown[];
    return members.map((member, i) => {
      const ref = (list[i] as { readonly $ref?: unknown } | null)?.$ref;
      if (typeof ref !== "string") return member;
      const name = ref.slice(ref.lastIndexOf("/") + 1);
      const values = entries.filter(([, target]) => target === ref || target === name).map(([value]) => value);
      const resolved = this.#resolveRef(ref, at(location, keyword, i));
      const target = resolved?.schema;
      // No mapping names the member, and the member states its own tag (`type: { const: "apiKey" }`):
      // that value is the tag, and the member's type already carries it. (The schema's name is only
      // the value when nothing says otherwise; intersecting it would make the member never.)
      if (values.length === 0 && typeof target === "object" && target !== null && ownsTag(target, property)) return member;
      if (values.length === 0) values.push(name);
      const isObject =
        typeof target === "object" &&
        target !== null &&
        (target["type"] === "object" || target["properties"] !== undefined || Array.isArray(target["allOf"]));
      // A member that is not an object (GitHub's content-directory is an array) cannot carry the tag; it
      // stays as it is, which the union already tells apart.
      if (!isObject) return member;
      const tag = objectType([{ name: property, type: union(values.map((v) => literalType(v)!)), optional: false }]);
      return intersection([member, tag]);
    });
  }

  /** The type from type / enum / const / properties / items; undefined when the schema has none. */
  #baseType(
    schema: { readonly [keyword: string]: unknown },
    location: SchemaLocation,
    depth: number,
    declaration: boolean,
  ): { type: TypeNode; open: boolean } | undefined {
    if ("const" in schema || Array.isArray(schema["enum"])) {
      const values = "const" in schema ? [schema["const"]] : (schema["enum"] as unknown[]);
      const literals: TypeNode[] = [];
      for (const value of values) {
        const literal = literalType(value);
        if (literal === undefined) {
          this.#warn(
            at(location, "const" in schema ? "const" : "enum"),
            "an object or array value has no literal type; the type is unknown",
          );
          return { type: UNKNOWN, open: false };
        }
        literals.push(literal);
      }
      return { type: union(literals), open: false };
    }

    let types: string[];
    const declared = schema["type"];
    if (typeof declared === "string") types = [declared];
    else if (Array.isArray(declared) && declared.every((t) => typeof t === "string")) types = declared as string[];
    else if (declared !== undefined) {
      this.#warn(at(location, "type"), "type is neither a string nor an array of strings; the type is unknown");
      return { type: UNKNOWN, open: false };
    } else if (["properties", "additionalProperties", "required"].some((k) => k in schema)) types = ["object"];
    else if (["items", "prefixItems"].some((k) => k in schema)) types = ["array"];
    else return undefined;

    let open = false;
    const members: TypeNode[] = [];
    for (const type of types) {
      switch (type) {
        case "string":
          // A file sent in a multipart body: the runtime's encoder takes a Blob or bytes.
          members.push(schema["format"] === "binary" && this.#direction === "request" ? union([BLOB, UINT8ARRAY]) : STRING);
          break;
        case "number":
        case "integer":
          members.push(NUMBER);
          break;
        case "boolean":
          members.push(BOOLEAN);
          break;
        case "null":
          members.push(NULL);
          break;
        case "object": {
          const object = this.#objectType(schema, location, depth);
          open = object.open;
          // A declaration's own object type is not shared out of itself (that would only add an alias).
          members.push(declaration ? object.type : this.#share(object.type, schema, location));
          break;
        }
        case "array":
          members.push(this.#arrayType(schema, location, depth));
          break;
        default:
          this.#warn(at(location, "type"), `unknown type ${JSON.stringify(type)}; the type is unknown`);
          return { type: UNKNOWN, open: false };
      }
    }
    return { type: union(members), open: open && members.length === 1 };
  }

  #objectType(schema: { readonly [keyword: string]: unknown }, location: SchemaLocation, depth: number): { type: TypeNode; open: boolean } {
    const properties = schema["properties"];
    const propertyMap: { readonly [name: string]: unknown } =
      typeof properties === "object" && properties !== null && !Array.isArray(properties)
        ? (properties as { readonly [name: string]: unknown })
        : {};
    if (properties !== undefined && propertyMap !== properties)
      this.#warn(at(location, "properties"), "properties is not an object; it is ignored");
    const required = new Set(Array.isArray(schema["required"]) ? schema["required"].filter((r): r is string => typeof r === "string") : []);
    // A property the other side of the wire owns is not part of this side's type.
    const hidden = this.#direction === "request" ? "readOnly" : this.#direction === "response" ? "writeOnly" : undefined;
    const names = [...new Set([...Object.keys(propertyMap), ...required])]
      .filter((name) => hidden === undefined || (propertyMap[name] as { readonly [k: string]: unknown } | undefined)?.[hidden] !== true)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const members = names.map((name) => {
      const property = Object.prototype.hasOwnProperty.call(propertyMap, name) ? propertyMap[name] : true;
      const meta = typeof property === "object" && property !== null ? (property as { readonly [k: string]: unknown }) : {};
      return {
        name,
        type: this.#convert(property, at(location, "properties", name), depth + 1),
        optional: !required.has(name),
        ...(typeof meta["description"] === "string" && { description: meta["description"] }),
        ...(meta["deprecated"] === true && { deprecated: true }),
        ...(meta["example"] !== undefined
          ? { example: meta["example"] }
          : Array.isArray(meta["examples"]) && meta["examples"].length > 0 && { example: meta["examples"][0] }),
      };
    });
    const additional = schema["additionalProperties"];
    if (additional === false) return { type: members.length === 0 ? objectType([], NEVER) : objectType(members), open: false };
    if (additional === undefined && members.length > 0) return { type: objectType(members), open: false };
    const value = additional === undefined ? UNKNOWN : this.#convert(additional, at(location, "additionalProperties"), depth + 1);
    // Every property must fit the index signature: widen it by the properties' types.
    const index = union([value, ...members.map((m) => m.type), ...(members.some((m) => m.optional) ? [UNDEFINED] : [])]);
    return { type: objectType(members, index), open: members.length === 0 && index.key === "unknown" };
  }

  #arrayType(schema: { readonly [keyword: string]: unknown }, location: SchemaLocation, depth: number): TypeNode {
    const items = schema["items"];
    const prefix = Array.isArray(schema["prefixItems"]) ? "prefixItems" : Array.isArray(items) ? "items" : undefined;
    if (prefix !== undefined) {
      const tuple = (schema[prefix] as unknown[]).map((item, i) => this.#convert(item, at(location, prefix, i), depth + 1));
      const restKeyword = prefix === "prefixItems" ? "items" : "additionalItems";
      const rest = schema[restKeyword];
      if (rest === false) return tupleOf(tuple, undefined);
      return tupleOf(tuple, rest === undefined || rest === true ? UNKNOWN : this.#convert(rest, at(location, restKeyword), depth + 1));
    }
    if (items === undefined) return arrayOf(UNKNOWN);
    return arrayOf(this.#convert(items, at(location, "items"), depth + 1));
  }
}

/** Whether an object schema gives the discriminator property a value of its own (`const`, or an enum). */
function ownsTag(schema: { readonly [keyword: string]: unknown }, property: string): boolean {
  const properties = schema["properties"];
  if (typeof properties !== "object" || properties === null) return false;
  const tag = (properties as { readonly [name: string]: unknown })[property];
  return typeof tag === "object" && tag !== null && ("const" in tag || Array.isArray((tag as { readonly enum?: unknown }).enum));
}
