import type { WebhookVersionCheck } from "../versions/versions.js";

/** A verified webhook event: its type, the delivery id where the provider has one, and the payload. */
export interface WebhookEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly id: string | undefined;
  readonly payload: Payload;
  /**
   * The key of the object the event is about, where the spec says (`webhooks.orderKey`): the webhook
   * inbox handles events of one key one at a time, in the order received.
   */
  readonly orderKey?: string;
  /**
   * The API version the payload says shaped it, against the client's pinned one: present when the spec
   * says where deliveries name their version. `status` "mismatch" or "unsupported" flags a payload whose
   * shape may differ from the types; `migratable` says the spec's migrations lead to the pinned version.
   */
  readonly apiVersion?: WebhookVersionCheck;
  /**
   * Present when the delivery is a verification challenge the spec declares (Slack's url_verification,
   * Twitch's callback verification, Dropbox's GET ?challenge=): the answer the provider expects. The
   * handler runner sends it instead of running the handler.
   */
  readonly handshake?: WebhookHandshakeAnswer;
  /**
   * The statuses the spec says a verified delivery is answered with (`webhooks.response`), present when
   * either is not 200: `handled` once the handler ran, `queued` once the event is stored for later. The
   * handler runner and the inbox endpoint answer with them (Microsoft Graph: 202 for a queued delivery).
   */
  readonly acknowledge?: WebhookAcknowledgement;
}

/** How a verified delivery is answered; see WebhookEvent.acknowledge. */
export interface WebhookAcknowledgement {
  readonly handled: number;
  readonly queued: number;
}

/**
 * The answer to a verification challenge, as the spec declares it: the challenge value echoed (text or
 * {"challenge"}), or a JSON object of literals, the echo and, for a signed challenge only, its HMAC.
 */
export interface WebhookHandshakeAnswer {
  /** The spec's name of the handshake. */
  readonly name: string;
  readonly status: 200;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}
