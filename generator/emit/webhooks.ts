/**
 * Webhooks emitter. webhooks.ts: the event types as a discriminated union, each with its payload
 * type, the list of types, a typed router factory and the signature scheme. webhook-payloads.ts: the
 * named types payloads refer to (from `$ref`s), imported by webhooks.ts as a namespace so that their
 * names (taken from schemas) can never collide with anything else the provider module declares.
 */
import { lineCommentText, stringLiteral } from "../common/escape.js";
import type { SpecModel } from "../model/ir.js";
import { PAYLOADS_NAMESPACE } from "../model/webhook-events.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { declaration, jsDoc, sources } from "./docs.js";
import { literal, stringUnion } from "./literal.js";
import { printDeclarations, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

/** File of the payload declarations, and the namespace index.ts re-exports it as. */
export const PAYLOADS_FILE = "webhook-payloads.ts";
export const payloadsNamespace = (model: SpecModel) => `${model.names.pascal}WebhookPayloads`;

export function emitWebhooks(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const webhooks = model.definition.webhooks;
  if (!webhooks) return [];
  const { pascal } = model.names;
  const title = model.provider.title;
  const eventUnion = `${pascal}WebhookEvent`;
  const hasPayloads = model.payloadDeclarations.length > 0;
  const statements: Declaration[] = [
    {
      kind: "import",
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [
        { name: "WebhookEvent", isTypeOnly: true },
        { name: "WebhookRouter" },
        { name: "WebhooksDefinition", isTypeOnly: true },
      ],
    },
    ...(hasPayloads
      ? [
          {
            kind: "import",
            isTypeOnly: true,
            namespaceImport: PAYLOADS_NAMESPACE,
            moduleSpecifier: "./webhook-payloads.js",
          } as const,
        ]
      : []),
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}WebhookEventType`,
      type: stringUnion(model.events.map((e) => e.type)),
      docs: jsDoc([`Event types ${title} sends to webhooks.`]),
    },
    ...model.events.flatMap((event): Declaration[] => [
      ...(event.payload
        ? [
            {
              kind: "typeAlias",
              isExported: true,
              name: event.payload.typeName,
              type: event.payload.type,
              docs: jsDoc([`Payload of \`${event.type}\` events.`]),
            } as const,
          ]
        : []),
      {
        kind: "typeAlias",
        isExported: true,
        name: event.typeName,
        type: `WebhookEvent<${stringLiteral(event.type)}${event.payload ? `, ${event.payload.typeName}` : ""}>`,
        docs: jsDoc([event.description, `\`${event.type}\``]),
      },
    ]),
    {
      kind: "typeAlias",
      isExported: true,
      name: eventUnion,
      // A provider whose deliveries name no type (Dropbox) still delivers events: of type "".
      type: model.events.length === 0 ? 'WebhookEvent<"">' : model.events.map((e) => e.typeName).join(" | "),
      docs: jsDoc([`Any ${title} webhook event, discriminated by \`type\`.`]),
    },
    {
      kind: "const",
      isExported: true,
      docs: jsDoc([`Every event type ${title} sends, sorted.`]),
      name: surfaceNames(model.names).webhookEventTypes,
      type: `readonly ${pascal}WebhookEventType[]`,
      initializer: literal(model.events.map((e) => e.type)),
    },
    {
      kind: "function",
      isExported: true,
      name: `create${pascal}WebhookRouter`,
      returnType: `WebhookRouter<${eventUnion}>`,
      statements: [`return new WebhookRouter<${eventUnion}>({ types: ${surfaceNames(model.names).webhookEventTypes} });`],
      docs: jsDoc([
        `A router for ${title} webhook events: \`on(type, handler)\` narrows the event to that type; \`dispatch(event)\` runs the matching handlers and rejects if one fails.`,
      ]),
    },
    {
      kind: "const",
      isExported: true,
      docs: jsDoc([`How ${title} signs webhook deliveries.`, ...sources(model, "webhooks")]),
      name: surfaceNames(model.names).webhooksDefinition,
      type: "WebhooksDefinition",
      initializer: literal(webhooks),
    },
  ];
  const files: EmittedFile[] = [{ path: "webhooks.ts", text: header(model, ctx) + printDeclarations(statements) }];
  if (hasPayloads) files.push(emitPayloads(model, ctx));
  return files;
}

/** webhook-payloads.ts: one type alias per declaration the converter made, the type printed from its tree. */
function emitPayloads(model: SpecModel, ctx: EmitContext): EmittedFile {
  const imported = model.eventsImport;
  const origin = imported
    ? `// Imported: ${lineCommentText(imported.from)}${imported.version === undefined ? "" : ` ${lineCommentText(imported.version)}`} (sha256 ${imported.sha256})\n`
    : "";
  return { path: PAYLOADS_FILE, text: header(model, ctx) + origin + printDeclarations(model.payloadDeclarations.map(declaration)) };
}
