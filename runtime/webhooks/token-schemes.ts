/**
 * Two verifier parts (parts.ts) for schemes that are not an HMAC over content parts: a JSON Web Token in a
 * header (Vonage's signed webhooks, `jwt-hs256`) and a shared secret the provider repeats in the body
 * (Microsoft Graph's clientState) or sends as a header (GitLab's X-Gitlab-Token), `shared-secret`. Both compare in constant time and run synchronously on
 * every platform (`#webhook-platform`: node:crypto, or @noble/hashes on the Web path).
 */
import { Buffer, createHash, createHmac, timingSafeEqual } from "#webhook-platform";
import type { WebhookJwtDefinition, WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { pathText } from "../internal/json-path.js";
import type { WebhookDelivery, WebhookVerifyOptions } from "./delivery.js";
import { WebhookVerificationError } from "./errors.js";
import { headerOnce } from "./headers.js";
import { decodeSignature, hmacKey } from "./keys.js";
import type { WebhookVerifierParts } from "./parts.js";

type Headers = WebhookDelivery["headers"];
type Code = "missing_signature" | "malformed_signature" | "signature_mismatch" | "timestamp_out_of_tolerance";

/** base64url of {"alg":"HS256","typ":"JWT"}, the header every HS256 signer writes: read without parsing. */
const HS256_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/**
 * The digits a canonical base64url text may end with when its length modulo 4 is 2 (4 unused bits) or 3 (2
 * unused bits): those whose unused bits are zero.
 */
const LAST_DIGITS = ["", "", "AQgw", "AEIMQUYcgkosw048"] as const;
/** Where the token's signature (32 bytes) and the claimed body digest are decoded, reused: verification is synchronous. */
const SIGNATURE = Buffer.alloc(32);
const CLAIMED: Readonly<Record<NonNullable<WebhookJwtDefinition["bodyHash"]>["algorithm"], Buffer>> = { sha256: Buffer.alloc(32) };

/**
 * The bytes of a JWT segment in canonical base64url (padding tolerated), written into `into` when given (then
 * only a segment of exactly its length decodes); undefined for any other spelling. Node's decoder (and the Web
 * platform's) skips characters outside both alphabets and stops at "=", so the decoded length equals
 * 3/4 of the digits only when every character is one; "+" and "/" (base64's own digits) are refused apart.
 * This costs no regular expression and no re-encoding of the bytes to compare.
 */
function base64urlBytes(text: string, into?: Buffer): Buffer | undefined {
  let digits = text.length;
  if (text.charCodeAt(digits - 1) === 61) digits -= text.charCodeAt(digits - 2) === 61 ? 2 : 1;
  const rest = digits & 3;
  if (rest === 1 || (rest !== 0 && !LAST_DIGITS[rest]!.includes(text[digits - 1]!))) return undefined;
  if (text.includes("+") || text.includes("/")) return undefined;
  const length = (digits * 3) >> 2;
  if (into !== undefined) return length === into.length && into.write(text, "base64url") === length ? into : undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.length === length ? bytes : undefined;
}

/** A base64url JWT segment as a JSON object; undefined when it is not one. */
function jsonSegment(text: string): Record<string, unknown> | undefined {
  const bytes = base64urlBytes(text);
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

const NO_JWT: WebhookJwtDefinition = {};

function fail(provider: string, code: Code, message: string): WebhookVerificationError {
  return new WebhookVerificationError(provider, code, message);
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
  const jwt = sig.jwt ?? NO_JWT;
  const value = headerOnce(provider, headers, sig.header);
  if (value === undefined) throw fail(provider, "missing_signature", `the ${sig.header} header is missing`);
  const prefix = sig.format.style === "single" ? sig.format.prefix : "";
  // An HTTP authentication scheme name (Bearer) is case-insensitive (RFC 9110, 11.1); as written, it needs no folding.
  if (!value.startsWith(prefix) && value.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase())
    throw fail(provider, "malformed_signature", `the ${sig.header} header does not start with "${prefix}"`);
  const token = value.slice(prefix.length).trim();
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf(".", second + 1) >= 0)
    throw fail(provider, "malformed_signature", `the ${sig.header} header does not carry a compact JWT`);
  const headerText = token.slice(0, first);
  if (headerText !== HS256_HEADER && jsonSegment(headerText)?.["alg"] !== "HS256")
    throw fail(provider, "malformed_signature", "the token's header does not name HS256");
  // 43 digits exactly: unpadded, as RFC 7515 writes every segment.
  const signature = token.length - second === 44 ? base64urlBytes(token.slice(second + 1), SIGNATURE) : undefined;
  if (signature === undefined) throw fail(provider, "malformed_signature", "the token's signature is not 32 bytes of base64url");
  const signed = token.slice(0, second);
  const secret = options.secret;
  const secrets = typeof secret === "string" ? 1 : (secret?.length ?? 0);
  if (secrets === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.secret");
  let matched = false;
  for (let i = 0; i < secrets && !matched; i++) {
    const key = hmacKey(typeof secret === "string" ? secret : secret![i]!, sig.secretEncoding);
    matched = timingSafeEqual(createHmac("sha256", key).update(signed).digest(), signature);
  }
  if (!matched) throw fail(provider, "signature_mismatch", "the token's signature does not match");

  const claims = jsonSegment(token.slice(first + 1, second));
  if (claims === undefined) throw fail(provider, "malformed_signature", "the token's claims are not a JSON object");
  if (jwt.issuer !== undefined && claims["iss"] !== jwt.issuer)
    throw fail(provider, "signature_mismatch", `the token was not issued by ${jwt.issuer}`);
  const bodyHash = jwt.bodyHash;
  if (bodyHash !== undefined) {
    const claimed = claims[bodyHash.claim];
    if (typeof claimed !== "string")
      throw fail(provider, "signature_mismatch", `the token has no ${bodyHash.claim} claim: it does not cover the body`);
    const actual = createHash(bodyHash.algorithm).update(body).digest();
    // Hex in either case, written into a reused buffer (Node's hex decoder stops at the first pair that is not hex).
    const into = CLAIMED[bodyHash.algorithm];
    const expected =
      bodyHash.encoding === "hex"
        ? claimed.length === 2 * into.length && into.write(claimed, "hex") === into.length
          ? into
          : undefined
        : decodeSignature(claimed, bodyHash.encoding);
    if (expected === undefined || expected.length !== actual.length || !timingSafeEqual(actual, expected))
      throw fail(provider, "signature_mismatch", `the body does not match the token's ${bodyHash.claim} claim`);
  }
  const now = options.now ?? Date.now() / 1000;
  const exp = numericClaim(claims, "exp");
  const nbf = numericClaim(claims, "nbf");
  if (Number.isNaN(exp) || Number.isNaN(nbf)) throw fail(provider, "malformed_signature", "the token's exp or nbf claim is not a number");
  if (exp !== undefined && now >= exp) throw fail(provider, "timestamp_out_of_tolerance", "the token has expired (exp)");
  if (nbf !== undefined && now < nbf) throw fail(provider, "timestamp_out_of_tolerance", "the token is not valid yet (nbf)");
  if (jwt.timestampClaim === undefined) return undefined;
  const issued = numericClaim(claims, jwt.timestampClaim);
  if (issued === undefined || Number.isNaN(issued))
    throw fail(provider, "malformed_signature", `the token's ${jwt.timestampClaim} claim is missing or not unix seconds`);
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

/** Where a shared secret is, for a rejection's message only: written when one is thrown. */
const secretWhere = (shared: NonNullable<WebhookSignatureDefinition["sharedSecret"]>): string =>
  "header" in shared ? `the ${shared.header} header` : pathText(shared.at);

/**
 * Checks that the header the spec names (GitLab's X-Gitlab-Token), or every value at the spec's path (every
 * notification's clientState), equals one of the secrets, compared byte for byte in constant time
 * (timingSafeEqual) when the lengths agree: timing can tell an attacker the secret's length, never its content.
 */
function checkSharedSecret(
  provider: string,
  sig: WebhookSignatureDefinition,
  headers: WebhookDelivery["headers"],
  payload: unknown,
  options: WebhookVerifyOptions,
): void {
  const shared = sig.sharedSecret!;
  const inHeader = "header" in shared;
  let values: unknown[];
  if (inHeader) {
    const value = headerOnce(provider, headers, shared.header);
    if (value === undefined) throw new WebhookVerificationError(provider, "missing_signature", `${secretWhere(shared)} is missing`);
    values = [value];
  } else {
    values = readAll(payload, shared.at);
    if (values.length === 0)
      throw new WebhookVerificationError(provider, "missing_signature", `the body has no ${secretWhere(shared)} to check`);
  }
  const secret = options.secret;
  const count = typeof secret === "string" ? 1 : (secret?.length ?? 0);
  if (count === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.secret");
  // The secrets' UTF-8 bytes, cached by hmacKey (which refuses an empty one); the usual single secret needs no array.
  const only = typeof secret === "string" ? hmacKey(secret, "raw") : undefined;
  const keys = typeof secret === "string" ? undefined : secret!.map((s) => hmacKey(s, "raw"));
  for (const value of values) {
    if (typeof value !== "string")
      throw new WebhookVerificationError(provider, "missing_signature", `a value at ${secretWhere(shared)} is missing or not a string`);
    const bytes = Buffer.from(value);
    let matched = only !== undefined && bytes.length === only.length && timingSafeEqual(bytes, only);
    // Every secret compared, the first match or not: the time taken says nothing of which one matched.
    if (keys !== undefined) for (const key of keys) if (bytes.length === key.length && timingSafeEqual(bytes, key)) matched = true;
    if (!matched)
      throw new WebhookVerificationError(
        provider,
        "signature_mismatch",
        inHeader ? `${secretWhere(shared)} does not match the secret` : `a value at ${secretWhere(shared)} does not match the secret`,
      );
  }
}

/** Pass to verifyWebhookWith for a `shared-secret` scheme. */
export const webhookSharedSecret: WebhookVerifierParts = { sharedSecret: checkSharedSecret };
