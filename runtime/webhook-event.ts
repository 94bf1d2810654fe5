/** A verified webhook event: its type, the delivery id where the provider has one, and the payload. */
export interface WebhookEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly id: string | undefined;
  readonly payload: Payload;
}
