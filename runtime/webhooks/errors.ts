import { isSwitchboardError, SwitchboardError } from "../errors/errors.js";

/** Why a delivery was rejected. Stable: applications branch on these. */
export type WebhookVerificationErrorCode =
  | "missing_signature"
  | "malformed_signature"
  | "signature_mismatch"
  | "timestamp_out_of_tolerance"
  | "payload_too_large"
  | "invalid_payload";

/**
 * A webhook delivery failed verification. `code` says why; the message never contains the secret,
 * the expected signature or the body.
 */
export class WebhookVerificationError extends SwitchboardError {
  static override readonly errorName: string = "WebhookVerificationError";
  static override readonly code = "webhook_verification";
  declare readonly code: WebhookVerificationErrorCode;
  declare readonly provider: string;

  constructor(provider: string, code: WebhookVerificationErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.provider = provider;
    Object.defineProperty(this, WEBHOOK_BRAND, { value: true });
  }
}

const WEBHOOK_BRAND = Symbol.for("switchboard.webhookVerificationError");

export function isWebhookVerificationError(value: unknown): value is WebhookVerificationError {
  return isSwitchboardError(value) && (value as unknown as Record<symbol, unknown>)[WEBHOOK_BRAND] === true;
}
