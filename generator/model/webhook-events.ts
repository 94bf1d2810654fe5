/**
 * Stage 3b, events: the webhook event types of a spec, listed under `webhooks.events` and/or imported
 * from a document (`webhooks.eventsImport`), each with its payload type converted from JSON Schema.
 *
 * Imported documents are read here and only here; the rest of the pipeline sees types as text.
 * Warnings about schemas point at the schema in the spec, or at `eventsImport.from` (naming the
 * pointer in the imported document) when the schema came from there.
 */
import path from "node:path";
import { readDocument } from "./documents.js";
import { DiagnosticCode, type Diagnostic } from "../diagnostics.js";
import type { EventModel, PayloadDeclaration } from "./ir.js";
import { bindingName } from "../common/names.js";
import { eventPayloadTypeName, eventTypeName } from "../common/operation-names.js";
import { deref, jsonMediaType, OPENAPI_METHODS } from "./operations/openapi.js";
import type { PathSegment, SpecSource } from "../parse/parse.js";
import { SchemaConverter, toPointer, valueAt, type SchemaDocument, type SchemaLocation } from "./schema-to-ts/index.js";
import { compareCodePoints } from "../common/sort.js";
import type { SpecDocument } from "../validate/spec-types.js";
import { DEFAULTS } from "../common/defaults.js";

export interface EventsResult {
  readonly events: EventModel[];
  readonly payloadDeclarations: PayloadDeclaration[];
  readonly eventsImport?: { readonly from: string; readonly sha256: string; readonly version?: string };
  readonly diagnostics: Diagnostic[];
}

export interface EventsOptions {
  /** Absolute path of the spec file: imports resolve from its folder. @default path.resolve(source.file) */
  readonly specPath?: string;
}

/** Namespace webhooks.ts imports webhook-payloads.ts as; declarations are `payloads.<Name>` there. */
export const PAYLOADS_NAMESPACE = "payloads";

const FROM: PathSegment[] = ["webhooks", "eventsImport", "from"];

interface EventSource {
  description?: string;
  /** Payload schemas; several (one per action) are a union. */
  readonly payloads: { readonly schema: unknown; readonly location: SchemaLocation }[];
}

export function resolveEvents(source: SpecSource, doc: SpecDocument, options: EventsOptions = {}): EventsResult {
  const diagnostics: Diagnostic[] = [];
  const webhooks = doc.webhooks;
  const byType = new Map<string, EventSource>();
  let eventsImport: EventsResult["eventsImport"];

  if (webhooks?.eventsImport !== undefined) {
    const imported = importEvents(source, webhooks.eventsImport, options.specPath ?? path.resolve(source.file), diagnostics);
    if (imported !== undefined) {
      eventsImport = imported.info;
      for (const [type, event] of imported.events) byType.set(type, event);
    }
  }

  // Inline events: their description and payload win over imported ones.
  const specDocument: SchemaDocument = { id: source.file, root: doc };
  for (const [type, event] of Object.entries(webhooks?.events ?? {})) {
    const existing = byType.get(type);
    const description = event.description ?? existing?.description;
    const payloads =
      event.payload !== undefined
        ? [{ schema: event.payload, location: { document: specDocument, path: ["webhooks", "events", type, "payload"] } }]
        : (existing?.payloads ?? []);
    byType.set(type, { ...(description !== undefined && { description }), payloads });
  }

  const converter = new SchemaConverter();
  const pascal = bindingName(doc.provider.name, "pascal");
  // webhooks.ts also declares these names; an event type that would take one gets a trailing
  // underscore, which no other event type name can have (identifiers from names.ts never end in one).
  const taken = new Set(["WebhookEvent", `${pascal}WebhookEvent`]);
  const used = new Set<string>();
  const unique = (name: string) => {
    let candidate = taken.has(name) ? `${name}_` : name;
    for (let n = 2; used.has(candidate); n++) candidate = `${name}_${n}`;
    used.add(candidate);
    return candidate;
  };
  const pending = [...byType.keys()].sort(compareCodePoints).map((type) => {
    const event = byType.get(type)!;
    const typeName = unique(eventTypeName(pascal, type));
    const payload =
      event.payloads.length === 0
        ? undefined
        : {
            typeName: unique(eventPayloadTypeName(pascal, type)),
            text: event.payloads.map((p) => converter.typeOf(p.schema, p.location)),
          };
    return { type, typeName, description: event.description, payload };
  });

  const result = converter.finish();
  const qualify = (name: string) => `${PAYLOADS_NAMESPACE}.${name}`;
  const events = pending.map((e): EventModel => {
    const members = e.payload === undefined ? [] : [...new Set(e.payload.text.map((t) => result.text(t, qualify)))];
    return {
      type: e.type,
      typeName: e.typeName,
      ...(e.description !== undefined && { description: e.description }),
      ...(e.payload !== undefined && {
        payload: {
          typeName: e.payload.typeName,
          type: members.length === 1 ? members[0]! : members.map((m) => (m.includes("|") || m.includes("&") ? `(${m})` : m)).join(" | "),
        },
      }),
    };
  });

  for (const warning of result.warnings) {
    const { document, path: at } = warning.location;
    diagnostics.push(
      document === specDocument
        ? source.diagnostic(at, DiagnosticCode.UnsupportedSchema, warning.message, { severity: "warning" })
        : source.diagnostic(FROM, DiagnosticCode.UnsupportedSchema, `${document.id}#${toPointer(at)}: ${warning.message}`, {
            severity: "warning",
          }),
    );
  }

  return {
    events,
    payloadDeclarations: result.declarations.map((d) => ({
      name: d.name,
      type: d.type,
      source: d.id,
      ...(d.description !== undefined && { description: d.description }),
      ...(d.deprecated === true && { deprecated: true }),
    })),
    ...(eventsImport !== undefined && { eventsImport }),
    diagnostics,
  };
}

function importEvents(
  source: SpecSource,
  spec: NonNullable<NonNullable<SpecDocument["webhooks"]>["eventsImport"]>,
  specPath: string,
  diagnostics: Diagnostic[],
): { info: NonNullable<EventsResult["eventsImport"]>; events: Map<string, EventSource> } | undefined {
  const fail = (message: string) => {
    diagnostics.push(source.diagnostic(FROM, DiagnosticCode.ImportFailed, message));
    return undefined;
  };
  const read = readDocument(specPath, spec.from, source.file);
  if (read.error !== undefined) return fail(read.error);
  const root = read.document.root;
  const webhooks = valueAt(root, ["webhooks"]);
  if (typeof webhooks !== "object" || webhooks === null || Array.isArray(webhooks)) {
    return fail(`${JSON.stringify(spec.from)} has no OpenAPI \`webhooks\` section`);
  }
  const document: SchemaDocument = { id: spec.from, root };
  const events = new Map<string, EventSource>();
  const eventType = spec.eventType ?? DEFAULTS.webhooks.eventsImportEventType;
  for (const key of Object.keys(webhooks).sort(compareCodePoints)) {
    for (const method of OPENAPI_METHODS) {
      const operation = valueAt(webhooks, [key, method]);
      if (typeof operation !== "object" || operation === null) continue;
      const op = operation as Record<string, unknown>;
      let type: string;
      if (eventType === "key") type = key;
      else {
        const subcategory = valueAt(op, ["x-github", "subcategory"]);
        if (typeof subcategory !== "string" || subcategory === "") {
          return fail(`${JSON.stringify(spec.from)}: webhook ${JSON.stringify(key)} has no x-github.subcategory`);
        }
        type = subcategory.replace(/-/g, "_");
      }
      const event = events.get(type) ?? { payloads: [] };
      const summary =
        typeof op["summary"] === "string" ? op["summary"] : typeof op["description"] === "string" ? op["description"] : undefined;
      if (event.description === undefined && summary !== undefined) event.description = summary;
      const payload = jsonBody(document, ["webhooks", key, method]);
      event.payloads.push(payload ?? { schema: true, location: { document, path: ["webhooks", key, method] } });
      events.set(type, event);
    }
  }
  const version = valueAt(root, ["info", "version"]);
  return {
    info: {
      from: spec.from,
      sha256: read.document.sha256,
      ...(typeof version === "string" && { version }),
    },
    events,
  };
}

/**
 * The JSON request body schema of an operation (following a `$ref`ed request body), if any: the same
 * reading of a request body and its media types as the operations import's.
 */
function jsonBody(document: SchemaDocument, operationPath: PathSegment[]): { schema: unknown; location: SchemaLocation } | undefined {
  const body = deref<{ content: unknown }>(document, [...operationPath, "requestBody"], []);
  const content = body?.value.content;
  if (typeof content !== "object" || content === null || Array.isArray(content)) return undefined;
  const mediaType = jsonMediaType(content as Record<string, unknown>);
  if (mediaType === undefined) return undefined;
  const path = [...body!.path, "content", mediaType, "schema"];
  const schema = valueAt(document.root, path);
  return schema === undefined ? undefined : { schema, location: { document, path } };
}
