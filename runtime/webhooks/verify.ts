/**
 * The verifier engine: one function carries out every signature scheme a spec can declare. It reads the
 * raw body only, checks the size before hashing, compares in constant time, checks the timestamp after the
 * signature (so `timestamp_out_of_tolerance` means "authentic but stale"), and never accepts on an
 * exception: acceptance needs an explicit match, and any unexpected error becomes a rejection.
 */
import { createHash, createHmac, timingSafeEqual, verify as verifyAsymmetric, type KeyObject } from "node:crypto";
import type { ValueLocation, VersionsDefinition, WebhookHeaderSet, WebhooksDefinition, WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError, isSwitchboardError } from "../errors.js";
import { readPath } from "../json-path.js";
import { checkWebhookVersion } from "../versions.js";
import type { WebhookEvent } from "../webhook-event.js";
import { contentChunks, parseForm, queryParam, urlVariants, type FormParams } from "./content.js";
import type { WebhookDelivery, WebhookVerifyOptions } from "./delivery.js";
import { WebhookVerificationError, type WebhookVerificationErrorCode } from "./errors.js";
import { headerValue, headerValues } from "./headers.js";
import { decodeSignature, hmacKey, publicKey } from "./keys.js";
import { parseSignatureHeader } from "./signature-header.js";

const DIGEST_LENGTH = { "hmac-sha1": 20, "hmac-sha256": 32, "hmac-sha512": 64 } as const;
const HMAC_HASH = { "hmac-sha1": "sha1", "hmac-sha256": "sha256", "hmac-sha512": "sha512" } as const;
const TIMESTAMP = /^\d{1,15}$/;
const NO_URL: readonly (string | undefined)[] = [undefined];

/**
 * Verifies one delivery against a provider's webhook definition and returns the event it carries.
 * Generated modules wrap this as `verifyWebhook(delivery, options)`.
 *
 * @throws {WebhookVerificationError} the delivery is not authentic, is stale, too large or unreadable.
 * @throws {ConfigurationError} the options cannot work (no secret, a key of the wrong kind, no `url` for a
 * scheme that signs the URL): a programming error, not a bad delivery.
 */
export function verifyWebhookDelivery<Event extends WebhookEvent = WebhookEvent>(
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options: WebhookVerifyOptions = {},
  versions?: VersionsDefinition,
): Promise<Event> {
  // Not an async function: a settled promise is all the caller awaits, and it costs less on the hot path.
  try {
    // The event type is the provider's claim, typed by the spec's declared events (the generated union).
    return Promise.resolve(verifyWebhookDeliverySync(provider, definition, delivery, options, versions) as Event);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** {@link verifyWebhookDelivery} without the promise, for callers that must stay synchronous. */
export function verifyWebhookDeliverySync(
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options: WebhookVerifyOptions = {},
  versions?: VersionsDefinition,
): WebhookEvent {
  try {
    const event = verifyOrThrow(provider, definition, delivery, options);
    if (!versions || !definition.apiVersion) return event;
    // Flag a payload shaped by another API version than the pinned one (the types describe the pinned one).
    const declared = locate(definition.apiVersion, delivery.headers ?? {}, event.payload);
    return { ...event, apiVersion: checkWebhookVersion(versions, declared) };
  } catch (error) {
    if (isSwitchboardError(error)) throw error;
    throw new WebhookVerificationError(provider, "malformed_signature", "the delivery could not be verified", { cause: error });
  }
}

function verifyOrThrow(
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options: WebhookVerifyOptions,
): WebhookEvent {
  const fail = (code: WebhookVerificationErrorCode, message: string): WebhookVerificationError => failure(provider, code, message);
  const body = delivery.body;
  if (typeof body !== "string" && !(body instanceof Uint8Array))
    throw fail("invalid_payload", "the body must be the raw bytes or their string, not a parsed object");
  if (body.length > definition.maxBodySize || (typeof body === "string" && Buffer.byteLength(body) > definition.maxBodySize))
    throw fail("payload_too_large", `the body is larger than ${definition.maxBodySize} bytes`);
  const bytes: string | Buffer =
    typeof body === "string" || Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const headers = delivery.headers ?? {};
  const sig =
    definition.signature.algorithmFrom === undefined ? definition.signature : chosenAlgorithm(provider, definition.signature, headers);

  let set: WebhookHeaderSet = sig;
  let values = headerValues(headers, sig.header);
  for (const alternative of sig.alternativeHeaders) {
    if (values.length > 0) break;
    set = alternative;
    values = headerValues(headers, alternative.header);
  }
  if (values.length === 0) throw fail("missing_signature", `the ${sig.header} header is missing`);
  const parsed = parseSignatureHeader(sig.format, values);
  if (parsed === undefined) throw fail("malformed_signature", `the ${set.header} header is not in the expected format`);

  let timestamp = parsed.timestamp;
  if (set.timestampHeader !== undefined) timestamp = singleHeader(provider, headers, set.timestampHeader, "timestamp");
  if (timestamp !== undefined && !TIMESTAMP.test(timestamp)) throw fail("malformed_signature", "the timestamp is not in unix seconds");
  const id = set.idHeader !== undefined ? singleHeader(provider, headers, set.idHeader, "message id") : undefined;

  const url = delivery.url;
  if (url === undefined && (sig.content.includes("url") || sig.bodyHash !== undefined))
    throw new ConfigurationError(`${provider} signs the URL: pass the full URL the delivery was posted to as delivery.url`);
  const expectedBodyHash = sig.bodyHash && url !== undefined ? queryParam(url, sig.bodyHash.queryParam) : undefined;
  let form: FormParams | undefined;
  const formParams = (): FormParams => (form ??= expectedBodyHash !== undefined ? {} : parseForm(bytes));

  const outcome = compareSignatures(sig, parsed.signatures, bytes, { timestamp, id, url, formParams }, options);
  if (outcome === "malformed")
    throw fail("malformed_signature", `no signature in the ${set.header} header has the expected encoding and length`);
  if (outcome === "mismatch") throw fail("signature_mismatch", `no signature in the ${set.header} header matches`);
  if (expectedBodyHash !== undefined) {
    const actual = createHash(sig.bodyHash!.algorithm).update(bytes).digest();
    const claimed = decodeSignature(
      sig.bodyHash!.encoding === "hex" ? expectedBodyHash.toLowerCase() : expectedBodyHash,
      sig.bodyHash!.encoding,
    );
    if (claimed === undefined || actual.length !== claimed.length || !timingSafeEqual(actual, claimed))
      throw fail("signature_mismatch", `the body does not match the ${sig.bodyHash!.queryParam} URL parameter`);
  }
  checkTolerance(sig, timestamp, options, fail);

  const payload = readPayload(definition, bytes, headers, expectedBodyHash !== undefined, formParams, fail);
  const type = locate(definition.eventType, headers, payload);
  const eventId = locate(definition.eventId, headers, payload);
  return { type: type ?? "", id: eventId, payload };
}

/** The scheme with the HMAC algorithm the delivery's settings header names (Twilio's SharedKey variant). */
function chosenAlgorithm(
  provider: string,
  sig: WebhookSignatureDefinition,
  headers: WebhookDelivery["headers"],
): WebhookSignatureDefinition {
  const from = sig.algorithmFrom!;
  const value = headerValue(headers, from.header);
  if (value === undefined) return sig;
  if (value === null) throw failure(provider, "malformed_signature", `the ${from.header} header is repeated with different values`);
  // As twilio-node reads it: items split at the first "=", both sides trimmed; no such item: the default.
  let named: string | undefined;
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq >= 0 && part.slice(0, eq).trim() === from.key && part.slice(eq + 1).trim() !== "") named = part.slice(eq + 1).trim();
  }
  if (named === undefined) return sig;
  const match = Object.keys(from.values).find((v) => v.toLowerCase() === named.toLowerCase());
  if (match === undefined)
    throw failure(provider, "malformed_signature", `the ${from.header} header names no algorithm this scheme accepts`);
  return { ...sig, algorithm: from.values[match]! };
}

function failure(provider: string, code: WebhookVerificationErrorCode, message: string): WebhookVerificationError {
  return new WebhookVerificationError(provider, code, message);
}

function singleHeader(provider: string, headers: WebhookDelivery["headers"], name: string, what: string): string {
  const value = headerValue(headers, name);
  if (value === undefined) throw failure(provider, "missing_signature", `the ${what} header ${name} is missing`);
  if (value === null) throw failure(provider, "malformed_signature", `the ${what} header ${name} is repeated with different values`);
  return value;
}

interface SignedParts {
  readonly timestamp: string | undefined;
  readonly id: string | undefined;
  readonly url: string | undefined;
  readonly formParams: () => FormParams;
}

/**
 * Whether any signature matches; "malformed" when none even has the scheme's encoding and length. Each
 * URL variant's signed content is built only when the ones before it did not match, and the search stops
 * at the first match (which tells an observer nothing it does not learn from the acceptance). Written
 * without closures: this runs on every delivery.
 */
function compareSignatures(
  sig: WebhookSignatureDefinition,
  encoded: readonly string[],
  body: string | Buffer,
  parts: SignedParts,
  options: WebhookVerifyOptions,
): "matched" | "mismatch" | "malformed" {
  const signatures: Buffer[] = [];
  for (const text of encoded) {
    const signature = decodeSignature(text, sig.encoding);
    if (signature !== undefined && plausible(sig, signature)) signatures.push(signature);
  }
  if (signatures.length === 0) return "malformed";
  const urls = parts.url === undefined ? NO_URL : sig.urlDefaultPort === "exact" ? [parts.url] : urlVariants(parts.url, sig.urlDefaultPort);
  const contents: (string | Buffer)[][] = [];
  if (sig.algorithm === "ed25519" || sig.algorithm === "ecdsa-p256-sha256") {
    const key = asymmetricKey(sig, options.publicKey);
    for (let u = 0; u < urls.length; u++) {
      const chunks = contentChunks(sig.content, {
        body,
        timestamp: parts.timestamp,
        id: parts.id,
        url: urls[u],
        formParams: parts.formParams,
      });
      const data = Buffer.concat(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)));
      for (const signature of signatures) if (asymmetricMatches(sig.algorithm, data, key, signature)) return "matched";
    }
    return "mismatch";
  }
  const secret = options.secret;
  const secretCount = typeof secret === "string" ? 1 : (secret?.length ?? 0);
  if (secretCount === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.secret");
  const hash = HMAC_HASH[sig.algorithm];
  for (let s = 0; s < secretCount; s++) {
    const key = hmacKey(typeof secret === "string" ? secret : secret![s]!, sig.secretEncoding);
    for (let u = 0; u < urls.length; u++) {
      const chunks = (contents[u] ??= contentChunks(sig.content, {
        body,
        timestamp: parts.timestamp,
        id: parts.id,
        url: urls[u],
        formParams: parts.formParams,
      }));
      const hmac = createHmac(hash, key);
      for (let c = 0; c < chunks.length; c++) hmac.update(chunks[c]!);
      const digest = hmac.digest();
      for (let i = 0; i < signatures.length; i++) if (timingSafeEqual(digest, signatures[i]!)) return "matched";
    }
  }
  return "mismatch";
}

function asymmetricMatches(algorithm: "ed25519" | "ecdsa-p256-sha256", data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verifyAsymmetric(algorithm === "ed25519" ? null : "sha256", data, { key, dsaEncoding: "der" }, signature) === true;
  } catch {
    return false;
  }
}

/** A signature of the right shape: the digest's length, Ed25519's 64 bytes, or a DER SEQUENCE. */
function plausible(sig: WebhookSignatureDefinition, signature: Buffer): boolean {
  if (sig.algorithm === "ed25519") return signature.length === 64;
  if (sig.algorithm === "ecdsa-p256-sha256")
    return signature.length >= 8 && signature.length <= 72 && signature[0] === 0x30 && signature[1] === signature.length - 2;
  return signature.length === DIGEST_LENGTH[sig.algorithm];
}

function asymmetricKey(sig: WebhookSignatureDefinition, text: string | undefined): KeyObject {
  if (text === undefined || text.length === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.publicKey");
  const key = publicKey(text, sig.secretEncoding);
  const ok =
    sig.algorithm === "ed25519"
      ? key.asymmetricKeyType === "ed25519"
      : key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1";
  if (!ok) throw new ConfigurationError(`options.publicKey is not ${sig.algorithm === "ed25519" ? "an Ed25519" : "a P-256"} public key`);
  return key;
}

function checkTolerance(
  sig: WebhookSignatureDefinition,
  timestamp: string | undefined,
  options: WebhookVerifyOptions,
  fail: (code: WebhookVerificationErrorCode, message: string) => WebhookVerificationError,
): void {
  if (options.toleranceSeconds !== undefined && !(options.toleranceSeconds >= 0))
    throw new ConfigurationError("options.toleranceSeconds must be a number >= 0 (Infinity turns the check off)");
  const toleranceMs = options.toleranceSeconds !== undefined ? options.toleranceSeconds * 1000 : sig.toleranceMs;
  if (toleranceMs === undefined || timestamp === undefined) return;
  const now = options.now ?? Date.now() / 1000;
  if (!Number.isFinite(now)) throw new ConfigurationError("options.now must be unix seconds");
  const ageMs = (now - Number(timestamp)) * 1000;
  if (ageMs > toleranceMs) throw fail("timestamp_out_of_tolerance", `the timestamp is more than ${toleranceMs / 1000} s old`);
  if (sig.toleranceDirection === "both" && -ageMs > toleranceMs)
    throw fail("timestamp_out_of_tolerance", `the timestamp is more than ${toleranceMs / 1000} s in the future`);
}

const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

function readPayload(
  definition: WebhooksDefinition,
  body: string | Buffer,
  headers: WebhookDelivery["headers"],
  bodyHashed: boolean,
  formParams: () => FormParams,
  fail: (code: WebhookVerificationErrorCode, message: string) => WebhookVerificationError,
): unknown {
  if (body.length === 0) {
    if (definition.payload.allowEmpty) return undefined;
    throw fail("invalid_payload", "the body is empty");
  }
  const encoding =
    definition.payload.encoding !== "auto"
      ? definition.payload.encoding
      : !bodyHashed && FORM_TYPE.test(headerValue(headers, "content-type") ?? "")
        ? "form"
        : "json";
  if (encoding === "form") return formParams();
  try {
    return JSON.parse(typeof body === "string" ? body : body.toString("utf8")) as unknown;
  } catch {
    throw fail("invalid_payload", "the body is not valid JSON");
  }
}

function locate(
  locations: readonly ValueLocation[] | undefined,
  headers: WebhookDelivery["headers"],
  payload: unknown,
): string | undefined {
  for (const location of locations ?? []) {
    const value =
      "header" in location
        ? headerValue(headers, location.header)
        : "body" in location
          ? readPath(payload, location.body)
          : readPath(payload, [location.form]);
    if (typeof value === "string") return value;
  }
  return undefined;
}
