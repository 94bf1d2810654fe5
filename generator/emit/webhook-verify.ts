/**
 * Webhook verifier emitter: verify-webhook.ts, one `verify<Provider>Webhook(delivery, options)` per provider that
 * delegates to the runtime's engine with the spec's signature scheme. Kept apart from webhooks.ts (the
 * event types) so the two evolve independently.
 */
import { webhookPartsFor } from "@switchboard/runtime/contract";
import { stringLiteral } from "../common/escape.js";
import type { SpecModel } from "../model/ir.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { jsDoc } from "./docs.js";
import { printDeclarations, type Declaration } from "./declarations.js";
import { header } from "./source-file.js";
import { surfaceNames } from "./surface-names.js";

export function emitWebhookVerify(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const webhooks = model.definition.webhooks;
  if (!webhooks) return [];
  const { pascal } = model.names;
  const title = model.provider.title;
  const eventType = `${pascal}WebhookEvent`;
  const names = surfaceNames(model.names);
  const sig = webhooks.signature;
  const asymmetric = sig.algorithm === "ed25519" || sig.algorithm === "ecdsa-p256-sha256";
  const secretDoc = asymmetric
    ? "`options.publicKey` is the provider's verification key."
    : sig.algorithm === "shared-secret"
      ? "`options.secret` is the shared secret the provider repeats in the body, or several during a rotation. The body is not signed: the secret shows the sender knows it, not that the body is unchanged, so re-read what a delivery names from the API before acting on it."
      : sig.algorithm === "jwt-hs256"
        ? "`options.secret` is the secret the provider signs its JSON Web Token with (HS256), or several during a rotation."
        : "`options.secret` is the signing secret, or several during a rotation.";
  const signsUrl = sig.content.includes("url") || sig.bodyHash !== undefined;
  // The event says which API version shaped its payload, and there is a pinned one to compare it with.
  const flagsVersion = webhooks.apiVersion !== undefined && model.definition.versions !== undefined;
  const tolerance =
    sig.toleranceMs === undefined
      ? "The scheme has no timestamp window."
      : `Timestamps more than ${sig.toleranceMs / 1000} s ${sig.toleranceDirection === "both" ? "old or ahead" : "old"} are rejected (\`options.toleranceSeconds\` overrides).`;
  // The verifier parts the scheme uses, and no other: an app bundles only these.
  const parts = webhookPartsFor(webhooks);
  const statements: Declaration[] = [
    {
      kind: "import",
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [
        "verifyWebhookWith",
        ...parts,
        { name: "WebhookDelivery", isTypeOnly: true },
        { name: "WebhookVerifierParts", isTypeOnly: true },
        { name: "WebhookVerifyOptions", isTypeOnly: true },
      ],
    },
    {
      kind: "import",
      moduleSpecifier: "./webhooks.js",
      namedImports: [{ name: eventType, isTypeOnly: true }, names.webhooksDefinition],
    },
    ...(flagsVersion ? [{ kind: "import" as const, moduleSpecifier: "./versions.js", namedImports: [names.webhookVersions] }] : []),
    {
      kind: "const",
      docs: jsDoc(["The verifier parts this spec's scheme needs (`webhookPartsFor`)."]),
      name: "verifierParts",
      type: "readonly WebhookVerifierParts[]",
      initializer: `[${parts.join(", ")}]`,
    },
    {
      kind: "function",
      isExported: true,
      name: names.verifyWebhook,
      parameters: [
        { name: "delivery", type: "WebhookDelivery" },
        { name: "options", type: "WebhookVerifyOptions", hasQuestionToken: true },
      ],
      returnType: `Promise<${eventType}>`,
      docs: jsDoc(
        [
          `Verifies a ${title} webhook delivery and resolves to its event.`,
          `Pass the body exactly as received (bytes or their string), never a re-serialized object${
            signsUrl ? ", and the full URL the delivery was posted to as `delivery.url`" : ""
          }. ${secretDoc} ${tolerance}`,
          "The event's type is the provider's: a type the spec does not list arrives unchanged, and the type is \"\" when the delivery has none where the spec looks (an accepted empty body, a batch).",
        ],
        [
          {
            tagName: "throws",
            text: "{WebhookVerificationError} the delivery is not authentic, is stale, too large or unreadable; `code` says which.",
          },
        ],
      ),
      statements: [
        `return verifyWebhookWith<${eventType}>(verifierParts, ${stringLiteral(model.provider.name)}, ${names.webhooksDefinition}, delivery, options${flagsVersion ? `, ${names.webhookVersions}` : ""});`,
      ],
    },
  ];
  return [{ path: "verify-webhook.ts", text: header(model, ctx) + printDeclarations(statements) }];
}
