/**
 * The verifier with every part (parts.ts), for callers that verify a definition they do not know ahead
 * (the mock provider, tests, hand-written integrations). Generated code calls verifyWebhookWith with only
 * its spec's parts, so an application bundles only those.
 */
import type { WebhooksDefinition, WebhookVersionsDefinition } from "../definition.js";
import type { WebhookDelivery, WebhookVerifyOptions } from "./delivery.js";
import { webhookHandshakes } from "./handshake.js";
import type { WebhookVerifierParts } from "./parts.js";
import { webhookPublicKeys } from "./public-keys.js";
import { webhookJwt, webhookSharedSecret } from "./token-schemes.js";
import { webhookAlgorithmHeader, webhookBodyValues, webhookForms, webhookTimestampFormats } from "./verifier-parts.js";
import { verifyWebhookWith, verifyWebhookWithSync } from "./verify.js";
import type { WebhookEvent } from "./webhook-event.js";

const ALL_PARTS: readonly WebhookVerifierParts[] = [
  webhookHandshakes,
  webhookPublicKeys,
  webhookAlgorithmHeader,
  webhookForms,
  webhookTimestampFormats,
  webhookJwt,
  webhookSharedSecret,
  webhookBodyValues,
];

/**
 * Verifies one delivery against any webhook definition, with every verifier part.
 *
 * @throws {WebhookVerificationError} the delivery is not authentic, is stale, too large or unreadable.
 * @throws {ConfigurationError} the options cannot work: a programming error, not a bad delivery.
 */
export function verifyWebhookDelivery<Event extends WebhookEvent = WebhookEvent>(
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options?: WebhookVerifyOptions,
  versions?: WebhookVersionsDefinition,
): Promise<Event> {
  return verifyWebhookWith<Event>(ALL_PARTS, provider, definition, delivery, options, versions);
}

/** {@link verifyWebhookDelivery} without the promise. */
export function verifyWebhookDeliverySync(
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options?: WebhookVerifyOptions,
  versions?: WebhookVersionsDefinition,
): WebhookEvent {
  return verifyWebhookWithSync(ALL_PARTS, provider, definition, delivery, options, versions);
}
