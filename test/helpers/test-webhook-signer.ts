/**
 * A test-only Stripe-style HMAC scheme (`Test-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>." + raw body>`) that keeps the verifier contract of the generated `verify<Provider>Webhook`: it resolves
 * to a `WebhookEvent` or rejects with a `WebhookVerificationError`. The handler and adapter tests use
 * it in place of the real engine, which lives on another branch.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { WebhookDelivery, WebhookEvent } from "../../runtime/index.js";
import { WebhookVerificationError } from "../../runtime/index.js";

export const SIGNATURE_HEADER = "test-signature";
export const TEST_SECRET = "whsec_test_0123456789abcdef";

export function signTestDelivery(body: string | Uint8Array, options: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return { [SIGNATURE_HEADER]: `t=${timestamp},v1=${hmac(options.secret ?? TEST_SECRET, timestamp, toBytes(body))}` };
}

export interface TestVerifierOptions {
  readonly secret?: string;
  readonly now?: () => number;
  readonly toleranceSeconds?: number;
  readonly maxBytes?: number;
}

export type TestEvent = WebhookEvent<string, Record<string, unknown>>;

export function createTestVerifier(options: TestVerifierOptions = {}): (delivery: WebhookDelivery) => Promise<TestEvent> {
  const secret = options.secret ?? TEST_SECRET;
  const tolerance = options.toleranceSeconds ?? 300;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const fail = (code: WebhookVerificationError["code"], message: string): never => {
    throw new WebhookVerificationError("test", code, message);
  };
  return async (delivery) => {
    const body = toBytes(delivery.body);
    if (body.byteLength > maxBytes) fail("payload_too_large", `body over ${maxBytes} bytes`);
    const name = Object.keys(delivery.headers).find((key) => key.toLowerCase() === SIGNATURE_HEADER);
    const raw = name === undefined ? undefined : delivery.headers[name];
    const header = typeof raw === "string" ? raw : raw?.[0];
    if (!header) return fail("missing_signature", "no Test-Signature header");
    const parts = new Map(header.split(",").map((part) => part.split("=", 2) as [string, string]));
    const timestamp = Number(parts.get("t"));
    const signature = parts.get("v1");
    if (!Number.isSafeInteger(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature))
      return fail("malformed_signature", "unparseable Test-Signature header");
    const now = options.now ? options.now() : Date.now() / 1000;
    if (Math.abs(now - timestamp) > tolerance) fail("timestamp_out_of_tolerance", "timestamp outside the tolerance");
    const expected = Buffer.from(hmac(secret, timestamp, body), "hex");
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) fail("signature_mismatch", "no signature matches");
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
      return fail("invalid_payload", "body is not UTF-8 JSON");
    }
    if (typeof payload !== "object" || payload === null || typeof (payload as { type?: unknown }).type !== "string")
      return fail("invalid_payload", "no event type");
    const event = payload as Record<string, unknown>;
    return { type: event["type"] as string, id: typeof event["id"] === "string" ? event["id"] : undefined, payload: event };
  };
}

function hmac(secret: string, timestamp: number, body: Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}
