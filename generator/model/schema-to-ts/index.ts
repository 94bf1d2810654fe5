/**
 * JSON Schema to TypeScript: a converter general enough for any JSON Schema or OpenAPI schema object
 * (webhook payloads now, the OpenAPI importer later). Input: schemas located in documents, `$ref`s
 * resolved by a resolver; output: types (a tree, type-tree.ts) printed once at the end, plus the named declarations it refers to, and warnings.
 */
export {
  SchemaConverter,
  type ConversionResult,
  type ConverterOptions,
  type Direction,
  type FinishOptions,
  type TypeOfOptions,
} from "./convert.js";
export { assignNames } from "./names.js";
export { arrayOf, STRING, UNDEFINED, UNKNOWN, type TypeNode } from "./type-tree.js";
export { isSchema, localRefResolver, parsePointer, toPointer, valueAt } from "./refs.js";
export type {
  ConversionWarning,
  JsonSchema,
  RefResolver,
  ResolvedRef,
  SchemaDocument,
  SchemaLocation,
  SchemaPath,
  TypeDeclaration,
} from "./types.js";
