/**
 * One shape for an operation, whether an OpenAPI document or the spec's inline section declared it:
 * what the rest of the operations stage (naming, types, IR) reads. Schemas stay where they are,
 * located in their document, until the converter turns them into types.
 */
import type { ArrayStyle, HttpMethod } from "@switchboard/runtime/contract";
import type { SchemaLocation } from "../schema-to-ts/index.js";
import type { SpecBatch, SpecPagination, SpecStream } from "../../validate/spec-types.js";

export interface LocatedSchema {
  readonly schema: unknown;
  readonly location: SchemaLocation;
}

export interface ParameterSource {
  /** Wire name. */
  readonly name: string;
  readonly in: "path" | "query" | "header";
  readonly required: boolean;
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly schema?: LocatedSchema;
  /** How an array value is written in the query, when the source says. */
  readonly style?: ArrayStyle;
}

export interface ResponseSource {
  /** 200, 201, ...; "2XX" for a range. Only success statuses are kept. */
  readonly status: string;
  readonly description?: string;
  /** The body's schema; undefined when the answer has a body the source does not describe. */
  readonly schema?: LocatedSchema;
  /** True when the source says the answer has no body (204, or no content). */
  readonly empty: boolean;
  /** The body is text (a non-JSON media type). */
  readonly text?: boolean;
}

export interface StreamSource {
  readonly spec: SpecStream;
  /** Declared events in name order; undefined when the stream declares none (every event, data unknown). */
  readonly events?: readonly { readonly name: string; readonly description?: string; readonly schema?: LocatedSchema }[];
}

export interface OperationSource {
  /** Inline id, or the document's operationId (else "METHOD /path"). */
  readonly id: string;
  readonly origin: "inline" | "import";
  readonly method: HttpMethod;
  readonly path: string;
  /** Group and method name, already decided (spec, override or the import's groupBy). */
  readonly group: string;
  readonly name: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecated: boolean;
  readonly params: readonly ParameterSource[];
  readonly body?: {
    readonly encoding: "json" | "form" | "multipart" | "raw";
    readonly required: boolean;
    readonly schema?: LocatedSchema;
    /** raw bodies (any other media type), and json bodies of another JSON media type: the media type sent. */
    readonly contentType?: string;
  };
  /** The operation's own server, an absolute URL (OpenAPI `servers` on the operation). */
  readonly baseUrl?: string;
  readonly responses: readonly ResponseSource[];
  readonly buckets?: readonly string[];
  readonly idempotent?: boolean;
  /** Auth modes by preference; [] none. */
  readonly auth?: readonly string[];
  /** The spec's attempt timeout of this operation, as written (a duration). */
  readonly timeout?: string;
  readonly pagination?: SpecPagination;
  /** Splitting one call's body array over several requests (the spec's batch). */
  readonly batch?: SpecBatch;
  /** A streamed answer, with each declared event's schema located in its document. */
  readonly stream?: StreamSource;
  /** Where diagnostics about this operation point: the spec path of its inline entry or of its import's `from`. */
  readonly specPath: readonly (string | number)[];
  /** For imported operations: `<from>#<pointer>` of the operation object, shown in diagnostics. */
  readonly documentPointer?: string;
}
