/**
 * Two verifier parts (parts.ts) for schemes that are not an HMAC over content parts: a JSON Web Token in a
 * header (Vonage's signed webhooks, `jwt-hs256`) and a shared secret the provider repeats in the body
 * (Microsoft Graph's clientState, `shared-secret`). Both compare in constant time and run synchronously on
 * every platform (`#webhook-platform`: node:crypto, or @noble/hashes on the Web path).
 */
import { Buffer, createHash, createHmac, timingSafeEqual } from "#webhook-platform";
import type { WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import type { WebhookDelivery, WebhookVerifyOptions } from "./delivery.js";
import { WebhookVerificationError } from "./errors.js";
import { headerValue } from "./headers.js";
import { decodeSignature, hmacKey } from "./keys.js";
import type { WebhookVerifierParts } from "./parts.js";

type Headers = WebhookDelivery["headers"];
type Code = "missing_signature" | "malformed_signature" | "signature_mismatch" | "timestamp_out_of_tolerance";

/** base64url of {"alg":"HS256","typ":"JWT"}, the header every HS256 signer writes: read without parsing. */
const HS256_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/** 32 bytes in canonical unpadded base64url: 43 digits, the last carrying 4 bits and two zero bits. */
const SIGNATURE_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** A base64url JWT segment as a JSON object; undefined when it is not one. */
function jsonSegment(text: string): Record<string, unknown> | undefined {
  const bytes = decodeSignature(text, "base64url");
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(bytes.toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A NumericDate claim (RFC 7519: seconds, possibly fractional); NaN when present but not a number. */
function numericClaim(claims: Record<string, unknown>, name: string): number | undefined {
  if (!Object.hasOwn(claims, name)) return undefined;
  const value = claims[name];
  return typeof value === "number" && Number.isFinite(value) ? value : NaN;
}

/**
 * Verifies the JWT in the signature header: protected header `alg` HS256 (any other, `none` included, is
 * refused before any key is used), HMAC-SHA256 of `header.payload` with one of the secrets, then the
 * claims: the body digest claim against the raw body, `exp` and `nbf` when present, the issuer when the
 * spec names one. Returns the timestamp claim (unix seconds) for the tolerance check, or undefined.
 */
function verifyJwt(
  provider: string,
  sig: WebhookSignatureDefinition,
  headers: Headers,
  body: string | Buffer,
  options: WebhookVerifyOptions,
): number | undefined {
  const fail = (code: Code, message: string) => new WebhookVerificationError(provider, code, message);
  const jwt = sig.jwt ?? {};
  const value = headerValue(headers, sig.header);
  if (value === undefined) throw fail("missing_signature", `the ${sig.header} header is missing`);
  if (value === null) throw fail("malformed_signature", `the ${sig.header} header is repeated with different values`);
  const prefix = sig.format.style === "single" ? sig.format.prefix : "";
  // An HTTP authentication scheme name (Bearer) is case-insensitive (RFC 9110, 11.1).
  if (value.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase())
    throw fail("malformed_signature", `the ${sig.header} header does not start with "${prefix}"`);
  const token = value.slice(prefix.length).trim();
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf(".", second + 1) >= 0)
    throw fail("malformed_signature", `the ${sig.header} header does not carry a compact JWT`);
  const headerText = token.slice(0, first);
  if (headerText !== HS256_HEADER && jsonSegment(headerText)?.["alg"] !== "HS256")
    throw fail("malformed_signature", "the token's header does not name HS256");
  const signatureText = token.slice(second + 1);
  if (!SIGNATURE_32.test(signatureText)) throw fail("malformed_signature", "the token's signature is not 32 bytes of base64url");
  const signature = Buffer.from(signatureText, "base64url");
  const signed = token.slice(0, second);
  const secret = options.secret;
  const secrets = typeof secret === "string" ? 1 : (secret?.length ?? 0);
  if (secrets === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.secret");
  let matched = false;
  for (let i = 0; i < secrets && !matched; i++) {
    const key = hmacKey(typeof secret === "string" ? secret : secret![i]!, sig.secretEncoding);
    matched = timingSafeEqual(createHmac("sha256", key).update(signed).digest(), signature);
  }
  if (!matched) throw fail("signature_mismatch", "the token's signature does not match");

  const claims = jsonSegment(token.slice(first + 1, second));
  if (claims === undefined) throw fail("malformed_signature", "the token's claims are not a JSON object");
  if (jwt.issuer !== undefined && claims["iss"] !== jwt.issuer)
    throw fail("signature_mismatch", `the token was not issued by ${jwt.issuer}`);
  const bodyHash = jwt.bodyHash;
  if (bodyHash !== undefined) {
    const claimed = claims[bodyHash.claim];
    if (typeof claimed !== "string")
      throw fail("signature_mismatch", `the token has no ${bodyHash.claim} claim: it does not cover the body`);
    const actual = createHash(bodyHash.algorithm).update(body).digest();
    const expected = decodeSignature(bodyHash.encoding === "hex" ? claimed.toLowerCase() : claimed, bodyHash.encoding);
    if (expected === undefined || expected.length !== actual.length || !timingSafeEqual(actual, expected))
      throw fail("signature_mismatch", `the body does not match the token's ${bodyHash.claim} claim`);
  }
  const now = options.now ?? Date.now() / 1000;
  const exp = numericClaim(claims, "exp");
  const nbf = numericClaim(claims, "nbf");
  if (Number.isNaN(exp) || Number.isNaN(nbf)) throw fail("malformed_signature", "the token's exp or nbf claim is not a number");
  if (exp !== undefined && now >= exp) throw fail("timestamp_out_of_tolerance", "the token has expired (exp)");
  if (nbf !== undefined && now < nbf) throw fail("timestamp_out_of_tolerance", "the token is not valid yet (nbf)");
  if (jwt.timestampClaim === undefined) return undefined;
  const issued = numericClaim(claims, jwt.timestampClaim);
  if (issued === undefined || Number.isNaN(issued))
    throw fail("malformed_signature", `the token's ${jwt.timestampClaim} claim is missing or not unix seconds`);
  return issued;
}

/** Pass to verifyWebhookWith for a `jwt-hs256` scheme. */
export const webhookJwt: WebhookVerifierParts = { jwt: verifyJwt };

/** Every value at `path` in `value`, a `*` segment standing for every item of an array; undefined for a missing step. */
export function readAll(value: unknown, path: readonly (string | number)[], from = 0, out: unknown[] = []): unknown[] {
  let node = value;
  for (let i = from; i < path.length; i++) {
    const segment = path[i]!;
    if (segment === "*") {
      if (!Array.isArray(node)) {
        out.push(undefined);
        return out;
      }
      for (const item of node) readAll(item, path, i + 1, out);
      return out;
    }
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment)) {
      out.push(undefined);
      return out;
    }
    node = (node as Record<string | number, unknown>)[segment];
  }
  out.push(node);
  return out;
}

/**
 * Checks that every value at the spec's path (every notification's clientState) equals one of the secrets,
 * compared byte for byte in constant time (timingSafeEqual) when the lengths agree: timing can tell an
 * attacker the secret's length, never its content.
 */
function checkSharedSecret(provider: string, sig: WebhookSignatureDefinition, payload: unknown, options: WebhookVerifyOptions): void {
  const at = sig.sharedSecret!.at;
  const values = readAll(payload, at);
  if (values.length === 0) throw new WebhookVerificationError(provider, "missing_signature", `the body has no $${pathText(at)} to check`);
  const secret = options.secret;
  const count = typeof secret === "string" ? 1 : (secret?.length ?? 0);
  if (count === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.secret");
  for (const value of values) {
    if (typeof value !== "string")
      throw new WebhookVerificationError(provider, "missing_signature", `a value at $${pathText(at)} is missing or not a string`);
    const bytes = Buffer.from(value);
    let matched = false;
    for (let i = 0; i < count; i++) {
      // The secret's UTF-8 bytes, cached by hmacKey (which refuses an empty one).
      const key = hmacKey(typeof secret === "string" ? secret : secret![i]!, "raw");
      if (bytes.length === key.length && timingSafeEqual(bytes, key)) matched = true;
    }
    if (!matched)
      throw new WebhookVerificationError(provider, "signature_mismatch", `a value at $${pathText(at)} does not match the secret`);
  }
}

/** A path as the messages write it ($.value[*].clientState); built only for a rejection. */
function pathText(at: readonly (string | number)[]): string {
  return at.map((s) => (s === "*" ? "[*]" : typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
}

/** Pass to verifyWebhookWith for a `shared-secret` scheme. */
export const webhookSharedSecret: WebhookVerifierParts = { sharedSecret: checkSharedSecret };
