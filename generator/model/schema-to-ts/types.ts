/** Shapes shared by the JSON Schema to TypeScript converter's modules. */

/** A JSON Schema (draft 2020-12, or an OpenAPI 3.0/3.1 schema object); `true` and `false` included. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** A path inside a document, as segments (object keys and array indexes). */
export type SchemaPath = readonly (string | number)[];

/** A document schemas live in; `$ref`s are resolved against its root. */
export interface SchemaDocument {
  /** Stable name of the document (a spec path, a package path); part of every declaration's id. */
  readonly id: string;
  readonly root: unknown;
}

/** Where a schema is: its document and its path there. */
export interface SchemaLocation {
  readonly document: SchemaDocument;
  readonly path: SchemaPath;
}

/** A `$ref` resolved to the schema it names. */
export interface ResolvedRef {
  readonly location: SchemaLocation;
  readonly schema: JsonSchema;
  /** Name the declaration is derived from, e.g. the last segment of `#/components/schemas/issue`. */
  readonly name: string;
}

/**
 * Resolves a `$ref` written at `from`. Undefined when it cannot (the converter then degrades the
 * schema to `unknown` and warns). The default resolves local JSON pointers (`#/...`) only.
 */
export type RefResolver = (ref: string, from: SchemaLocation) => ResolvedRef | undefined;

/** Something the converter could not express; the type at `location` became `unknown`. */
export interface ConversionWarning {
  readonly location: SchemaLocation;
  readonly message: string;
}

/** A named type the converted text refers to (a `$ref` target). */
export interface TypeDeclaration {
  /** Identifier, unique among the declarations of one conversion. */
  readonly name: string;
  /** `<document id>#<JSON pointer>`: what the declaration was made from (shared by `Name` and `NameInput`). */
  readonly id: string;
  /** Type text; refers to other declarations by name. */
  readonly type: string;
  readonly description?: string;
  readonly deprecated?: boolean;
}
