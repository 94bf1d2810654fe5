/**
 * One webhook delivery as it arrived, and the options a verifier takes. The verifier engine, the
 * handler runner and the framework adapters all speak these types.
 */

/** The raw delivery. `body` must be the bytes (or their exact UTF-8 string) as received, never re-serialized. */
export interface WebhookDelivery {
  /** Header names in any case; repeated headers as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string | Uint8Array;
  /** The full URL the provider posted to (schemes that sign the URL, such as Twilio's, need it). */
  readonly url?: string;
  readonly method?: string;
}

export interface WebhookVerifyOptions {
  /** The signing secret, or several during a rotation: a delivery verifies if any one matches. */
  readonly secret?: string | readonly string[];
  /** Public key for asymmetric schemes (SendGrid's ECDSA P-256: base64 DER SPKI or PEM). */
  readonly publicKey?: string;
  /** The current time in unix seconds, for timestamp tolerance. @default Date.now() / 1000 */
  readonly now?: number;
  /** Overrides the spec's timestamp tolerance, in seconds (>= 0; `Infinity` turns the check off). */
  readonly toleranceSeconds?: number;
}
