/** Webhooks emitter: webhooks.ts, the event types as a discriminated union and the signature scheme. */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import { stringLiteral } from "../escape.js";
import type { SpecModel } from "../ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { jsDoc, sources } from "./docs.js";
import { literal, stringUnion } from "./literal.js";
import { header, printStatements } from "./source-file.js";

export function emitWebhooks(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const webhooks = model.definition.webhooks;
  if (!webhooks) return [];
  const { pascal } = model.names;
  const title = model.provider.title;
  const statements: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [
        { name: "WebhookEvent", isTypeOnly: true },
        { name: "WebhooksDefinition", isTypeOnly: true },
      ],
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: `${pascal}WebhookEventType`,
      type: stringUnion(model.events.map((e) => e.type)),
      docs: jsDoc([`Event types ${title} sends to webhooks.`]),
    },
    ...model.events.map((event): StatementStructures => ({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: event.typeName,
      type: `WebhookEvent<${stringLiteral(event.type)}>`,
      docs: jsDoc([event.description, `\`${event.type}\``]),
    })),
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: `${pascal}WebhookEvent`,
      type: model.events.length === 0 ? "never" : model.events.map((e) => e.typeName).join(" | "),
      docs: jsDoc([`Any ${title} webhook event, discriminated by \`type\`.`]),
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDoc([`Every event type ${title} sends, sorted.`]),
      declarations: [
        { name: "webhookEventTypes", type: `readonly ${pascal}WebhookEventType[]`, initializer: literal(model.events.map((e) => e.type)) },
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDoc([`How ${title} signs webhook deliveries.`, ...sources(model, "webhooks")]),
      declarations: [{ name: "webhooksDefinition", type: "WebhooksDefinition", initializer: literal(webhooks) }],
    },
  ];
  return [{ path: "webhooks.ts", text: header(model, ctx) + printStatements(statements) }];
}
