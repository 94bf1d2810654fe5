/**
 * The value names a provider's files export beside its classes and types, each qualified by the
 * provider (stripeDefinition, verifyStripeWebhook) like StripeClient and isStripeError, so that every
 * bundled provider can be re-exported from one module without a collision.
 */
export interface SurfaceNames {
  /** client.ts: what the client reads of the spec. */
  readonly definition: string;
  /** errors.ts */
  readonly errorsDefinition: string;
  readonly recoverError: string;
  /** versions.ts */
  readonly pinnedVersion: string;
  readonly versionsDefinition: string;
  /** What the webhook verifier checks an event's API version against (versions.ts, when webhooks name one). */
  readonly webhookVersions: string;
  /** webhooks.ts */
  readonly webhookEventTypes: string;
  readonly webhooksDefinition: string;
  /** verify-webhook.ts */
  readonly verifyWebhook: string;
}

export function surfaceNames(names: { readonly pascal: string; readonly camel: string }): SurfaceNames {
  const { pascal, camel } = names;
  return {
    definition: `${camel}Definition`,
    errorsDefinition: `${camel}ErrorsDefinition`,
    recoverError: `recover${pascal}Error`,
    pinnedVersion: `${camel}PinnedVersion`,
    versionsDefinition: `${camel}VersionsDefinition`,
    webhookVersions: `${camel}WebhookVersions`,
    webhookEventTypes: `${camel}WebhookEventTypes`,
    webhooksDefinition: `${camel}WebhooksDefinition`,
    verifyWebhook: `verify${pascal}Webhook`,
  };
}
