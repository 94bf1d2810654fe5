/**
 * Smaller parts of the verifier (parts.ts): form bodies and the URL extras that come with them, an HMAC
 * algorithm named by a header, timestamps not in unix seconds.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { WebhookSignatureDefinition } from "../definition.js";
import { otherPortUrl, parseForm, queryParam, sortedFormParams } from "./content.js";
import { WebhookVerificationError } from "./errors.js";
import { headerValue } from "./headers.js";
import { decodeSignature } from "./keys.js";
import type { WebhookVerifierParts } from "./parts.js";
import { hmacHash } from "./plan.js";

type BodyHash = NonNullable<WebhookSignatureDefinition["bodyHash"]>;

/** The body's digest against the one a URL parameter claims (hex in either case). */
function checkBodyHash(provider: string, bodyHash: BodyHash, claimed: string, body: string | Buffer): void {
  const actual = createHash(bodyHash.algorithm).update(body).digest();
  const into = Buffer.alloc(actual.length);
  const expected =
    decodeSignature(claimed, bodyHash.encoding, into) ??
    (bodyHash.encoding === "hex" ? decodeSignature(claimed.toLowerCase(), "hex", into) : undefined);
  if (expected === undefined || !timingSafeEqual(actual, expected))
    throw new WebhookVerificationError(provider, "signature_mismatch", `the body does not match the ${bodyHash.queryParam} URL parameter`);
}

/**
 * Pass to verifyWebhookWith for a scheme with form-encoded bodies (read, or signed as sorted parameters),
 * a body digest in a URL parameter, or a URL signed with or without its default port.
 */
export const webhookForms: WebhookVerifierParts = {
  forms: { parse: parseForm, sorted: sortedFormParams },
  otherPortUrl,
  bodyHash: { claimed: queryParam, check: checkBodyHash },
};

/** The HMAC hash the delivery's settings header names (Twilio's SharedKey variant); `fallback` without one. */
function algorithmHeader(
  provider: string,
  sig: WebhookSignatureDefinition,
  headers: Parameters<typeof headerValue>[0],
  fallback: ReturnType<typeof hmacHash>,
): ReturnType<typeof hmacHash> {
  const from = sig.algorithmFrom!;
  const value = headerValue(headers, from.header);
  if (value === null)
    throw new WebhookVerificationError(provider, "malformed_signature", `the ${from.header} header is repeated with different values`);
  // As twilio-node reads it: items split at the first "=", both sides trimmed; no such item: the default.
  let named: string | undefined;
  for (const part of value?.split(",") ?? []) {
    const eq = part.indexOf("=");
    if (eq >= 0 && part.slice(0, eq).trim() === from.key && part.slice(eq + 1).trim() !== "") named = part.slice(eq + 1).trim();
  }
  if (named === undefined) return fallback;
  const match = Object.keys(from.values).find((v) => v.toLowerCase() === named.toLowerCase());
  if (match === undefined)
    throw new WebhookVerificationError(provider, "malformed_signature", `the ${from.header} header names no algorithm this scheme accepts`);
  return hmacHash(from.values[match]!);
}

/** Pass to verifyWebhookWith for a scheme whose HMAC algorithm a header may name. */
export const webhookAlgorithmHeader: WebhookVerifierParts = { algorithmHeader };

const TIMESTAMP_MS = /^\d{1,17}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/i;

/** A timestamp in milliseconds or RFC 3339 as unix seconds; NaN when it is not written as the scheme says. */
function timestamp(format: NonNullable<WebhookSignatureDefinition["timestampFormat"]>, text: string): number {
  if (format === "milliseconds") return TIMESTAMP_MS.test(text) ? Number(text) / 1000 : NaN;
  return RFC3339.test(text) ? Date.parse(text) / 1000 : NaN;
}

/** Pass to verifyWebhookWith for a scheme whose timestamps are in milliseconds or RFC 3339. */
export const webhookTimestampFormats: WebhookVerifierParts = { timestamp };
