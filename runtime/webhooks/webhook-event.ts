import type { WebhookVersionCheck } from "../versions/versions.js";

/** A verified webhook event: its type, the delivery id where the provider has one, and the payload. */
export interface WebhookEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly id: string | undefined;
  readonly payload: Payload;
  /**
   * The API version the payload says shaped it, against the client's pinned one: present when the spec
   * says where deliveries name their version. `status` "mismatch" or "unsupported" flags a payload whose
   * shape may differ from the types; `migratable` says the spec's migrations lead to the pinned version.
   */
  readonly apiVersion?: WebhookVersionCheck;
}
