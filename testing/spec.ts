/**
 * What the mock knows about a provider, read from its spec through the generator's own stages: the
 * provider definition (auth, limits, retry, errors, webhooks) and, per operation, its route, the JSON
 * Schemas of its body and answers (located in their documents) and any examples the OpenAPI document
 * gives. Nothing about a provider is written in the mock's code.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { HttpMethod, OperationDefinition, PaginationDefinition, ProviderDefinition } from "@switchboard/runtime/contract";
import { formatDiagnostic, type Diagnostic } from "../generator/diagnostics.js";
import { loadSpec } from "../generator/load.js";
import type { SpecModel } from "../generator/model/ir.js";
import { readDocument } from "../generator/model/documents.js";
import { inlineOperations } from "../generator/model/operations/inline.js";
import { readOpenApiOperations } from "../generator/model/operations/openapi.js";
import type { OperationSource } from "../generator/model/operations/sources.js";
import { parsePointer, valueAt } from "../generator/model/schema-to-ts/index.js";
import type { SpecDocument } from "../generator/validate/spec-types.js";
import { parse as parseYaml } from "yaml";
import type { SchemaRef } from "./schema.js";

export interface MockOperation {
  readonly id: string;
  readonly group: string;
  readonly method: HttpMethod;
  /** The path template as the spec writes it. */
  readonly path: string;
  /** Matches a request path; named groups are the path parameters. */
  readonly pattern: RegExp;
  readonly idempotent: boolean;
  /** How a list answer pages (from the spec's pagination section). */
  readonly pagination?: PaginationDefinition;
  /** The declared query parameters' wire names. */
  readonly queryParams: readonly string[];
  readonly body?: { readonly encoding: "json" | "form" | "multipart" | "raw"; readonly required: boolean; readonly schema?: SchemaRef };
  /** Success answers, lowest status first. */
  readonly responses: readonly {
    readonly status: number;
    readonly schema?: SchemaRef;
    readonly empty: boolean;
    /** Examples from the OpenAPI document's media type, when it gives any. */
    readonly examples: readonly unknown[];
  }[];
}

export interface MockSpec {
  readonly model: SpecModel;
  readonly definition: ProviderDefinition;
  readonly operations: readonly MockOperation[];
  /** Payload schemas of the spec's inline events, by event type. */
  readonly events: Readonly<Record<string, SchemaRef | undefined>>;
}

/** The spec is invalid: every error diagnostic, formatted file:line:col. */
export class MockSpecError extends Error {
  static readonly code = "mock_spec_invalid";
  readonly code = MockSpecError.code;
  override readonly name = "MockSpecError";
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`the spec has errors:\n${diagnostics.map((d) => formatDiagnostic(d)).join("\n")}`);
  }
}

/** Reads a spec file and everything it imports. Throws MockSpecError when the spec does not validate. */
export function loadMockSpec(file: string): MockSpec {
  const absolute = path.resolve(file);
  const text = readFileSync(absolute, "utf8");
  const shown = path.relative(process.cwd(), absolute).split(path.sep).join("/");
  const loaded = loadSpec(shown, text, { path: absolute });
  if (loaded.model === undefined) throw new MockSpecError(loaded.diagnostics.filter((d) => d.severity === "error"));
  const doc = parseYaml(text) as SpecDocument;
  const sources: { source: OperationSource; root: unknown; documentRoot?: unknown }[] = inlineOperations(doc, { id: shown, root: doc }).map(
    (source) => ({ source, root: doc }),
  );
  (doc.operations?.import ?? []).forEach((spec, i) => {
    const read = readDocument(absolute, spec.from, shown);
    if (read.error !== undefined) return;
    for (const source of readOpenApiOperations(read.document, spec, ["operations", "import", i]).operations)
      sources.push({ source, root: read.document.root });
  });
  // An inline operation replaces an imported one with the same group and name (as in the generator).
  const byName = new Map<string, (typeof sources)[number]>();
  for (const entry of [...sources.filter((s) => s.source.origin === "import"), ...sources.filter((s) => s.source.origin === "inline")])
    byName.set(`${entry.source.group}.${entry.source.name}`, entry);
  const definitions = new Map(loaded.model.groups.flatMap((g) => g.operations.map((op) => [op.id, op.definition] as const)));
  const operations = [...byName.values()].map(({ source, root }) => mockOperation(source, root, definitions.get(source.id)));
  // Literal segments before parameters: /v1/customers/search wins over /v1/customers/{customer}.
  operations.sort((a, b) => specificity(b.path) - specificity(a.path));
  const events: Record<string, SchemaRef | undefined> = {};
  for (const [type, event] of Object.entries(doc.webhooks?.events ?? {}))
    events[type] = event.payload === undefined ? undefined : { schema: event.payload, root: doc };
  for (const event of loaded.model.events) if (!(event.type in events)) events[event.type] = undefined;
  return { model: loaded.model, definition: loaded.model.definition, operations, events };
}

function specificity(template: string): number {
  return template.split("/").reduce((score, segment) => score + (segment.includes("{") ? 1 : 3), 0);
}

function mockOperation(source: OperationSource, root: unknown, definition: OperationDefinition | undefined): MockOperation {
  const idempotent = definition?.idempotent;
  const pattern = new RegExp(
    `^${source.path
      .split(/(\{[^{}]+\})/)
      .map((part, i) => (i % 2 === 1 ? `(?<p${i}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("")}/?$`,
  );
  const operationObject =
    source.documentPointer === undefined
      ? undefined
      : valueAt(root, parsePointer(source.documentPointer.slice(source.documentPointer.indexOf("#") + 1)) ?? []);
  return {
    id: source.id,
    group: source.group,
    method: source.method,
    path: source.path,
    pattern,
    idempotent: idempotent ?? ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].includes(source.method),
    ...(definition?.pagination && { pagination: definition.pagination }),
    queryParams: source.params.filter((p) => p.in === "query").map((p) => p.name),
    ...(source.body && {
      body: {
        encoding: source.body.encoding,
        required: source.body.required,
        ...(source.body.schema && { schema: { schema: source.body.schema.schema, root: source.body.schema.location.document.root } }),
      },
    }),
    responses: source.responses
      .map((r) => ({
        status: r.status === "2XX" ? 200 : Number(r.status),
        ...(r.schema && { schema: { schema: r.schema.schema, root: r.schema.location.document.root } }),
        empty: r.empty,
        examples: examplesOf(valueAt(operationObject, ["responses", r.status, "content"])),
      }))
      .sort((a, b) => a.status - b.status),
  };
}

/** `example` and `examples.*.value` of the JSON media types of an OpenAPI response's content. */
function examplesOf(content: unknown): unknown[] {
  if (typeof content !== "object" || content === null) return [];
  const out: unknown[] = [];
  for (const [type, media] of Object.entries(content as Record<string, unknown>)) {
    if (!/json/i.test(type) || typeof media !== "object" || media === null) continue;
    const m = media as { example?: unknown; examples?: Record<string, { value?: unknown }> };
    if (m.example !== undefined) out.push(m.example);
    for (const example of Object.values(m.examples ?? {})) if (example?.value !== undefined) out.push(example.value);
  }
  return out;
}
