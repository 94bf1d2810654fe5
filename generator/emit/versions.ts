/**
 * Versions emitter: versions.ts, the supported versions as a literal union and the pinned one, and, when
 * the webhooks say where an event names its version, what the webhook verifier checks it against.
 */
import { stringLiteral } from "../common/escape.js";
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { bulletList, jsDoc, sources } from "./docs.js";
import { Code, literal, stringUnion } from "./literal.js";
import { printDeclarations, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

export function emitVersions(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const versions = model.definition.versions;
  if (!versions) return [];
  const { pascal } = model.names;
  const names = model.versions.length > 0 ? model.versions.map((v) => v.version) : [versions.pinned];
  // The same condition as the webhook verifier's version check (webhook-verify.ts).
  const webhookVersions = model.definition.webhooks?.apiVersion !== undefined;
  const supportedName = `${model.names.camel}SupportedVersions`;
  const statements: Declaration[] = [
    {
      kind: "import",
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [
        { name: "VersionsDefinition", isTypeOnly: true },
        ...(webhookVersions ? [{ name: "WebhookVersionsDefinition", isTypeOnly: true }] : []),
      ],
    },
    {
      kind: "typeAlias",
      isExported: true,
      name: `${pascal}ApiVersion`,
      type: stringUnion(names),
      docs: jsDoc([
        `${model.provider.title} API versions this client may be pinned to.`,
        bulletList(
          model.versions.map(
            (v) =>
              `${v.version}${v.deprecated ? ` (deprecated ${v.deprecated})` : ""}${v.sunset ? ` (sunset ${v.sunset})` : ""}${v.description ? `: ${v.description}` : ""}`,
          ),
        ),
      ]),
    },
    {
      kind: "const",
      isExported: true,
      docs: jsDoc(["The version sent when the caller does not choose one."]),
      name: surfaceNames(model.names).pinnedVersion,
      type: `${pascal}ApiVersion`,
      initializer: stringLiteral(versions.pinned),
    },
    ...(webhookVersions
      ? [
          {
            kind: "const" as const,
            docs: jsDoc(["The supported versions, shared by the two definitions below."]),
            name: supportedName,
            type: 'VersionsDefinition["supported"]',
            initializer: literal(versions.supported),
          },
        ]
      : []),
    {
      kind: "const",
      isExported: true,
      docs: jsDoc([`How ${model.provider.title} versions are sent, and their lifecycle.`, ...sources(model, "versions")]),
      name: surfaceNames(model.names).versionsDefinition,
      type: "VersionsDefinition",
      initializer: literal(webhookVersions ? { ...versions, supported: new Code(supportedName) } : versions),
    },
    ...(webhookVersions
      ? [
          {
            kind: "const" as const,
            isExported: true,
            docs: jsDoc([
              `What ${surfaceNames(model.names).verifyWebhook} checks an event's API version against: the versions and which migrates to which.`,
              "Not the migrations' changes: an application that only verifies webhooks does not ship them.",
            ]),
            name: surfaceNames(model.names).webhookVersions,
            type: "WebhookVersionsDefinition",
            initializer: literal({
              pinned: versions.pinned,
              supported: new Code(supportedName),
              migrations: versions.migrations.map(({ from, to }) => ({ from, to })),
            }),
          },
        ]
      : []),
  ];
  return [{ path: "versions.ts", text: header(model, ctx) + printDeclarations(statements) }];
}
