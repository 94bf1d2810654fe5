/**
 * The verifier engine: one function carries out every signature scheme a spec can declare, with the parts
 * (parts.ts) its scheme needs. It reads the raw body only, checks the size before hashing, compares in
 * constant time, checks the timestamp after the signature (so `timestamp_out_of_tolerance` means
 * "authentic but stale"), and never accepts on an exception: acceptance needs an explicit match, and any
 * unexpected error becomes a rejection. It reads the definition through its plan (plan.ts), compiled once
 * per definition.
 */
// node:crypto on Node, Bun and Deno; Web APIs where there is no node:* (platform/web.ts).
import { Buffer, createHmac, decodeUtf8, timingSafeEqual } from "#webhook-platform";
import type { WebhooksDefinition, WebhookVersionsDefinition } from "../definition.js";
import { ConfigurationError, isSwitchboardError } from "../errors/errors.js";
import { readPath } from "../internal/json-path.js";
import { checkWebhookVersion } from "../versions/versions.js";
import type { WebhookEvent } from "./webhook-event.js";
import { feedContent, type FormParams } from "./content.js";
import type { WebhookDelivery, WebhookVerifyOptions } from "./delivery.js";
import { WebhookVerificationError, type WebhookVerificationErrorCode } from "./errors.js";
import { headerOnce } from "./headers.js";
import { decodeSignature, hmacKey } from "./keys.js";
import { mergeParts, type BodyValues, type WebhookVerifierParts } from "./parts.js";
import { webhookPlan, type PlanLocation, type WebhookPlan } from "./plan.js";
import { parseSignatureHeader } from "./signature-header.js";

type Headers = WebhookDelivery["headers"];

/** Unix seconds: 1 to 15 decimal digits, nothing else (no sign, space or exponent). */
const TIMESTAMP = /^\d{1,15}$/;

/**
 * Verifies one delivery against a provider's webhook definition, with the verifier parts its scheme needs
 * (`webhookPartsFor(definition)` names them), and returns the event it carries. Generated modules wrap
 * this as `verify<Provider>Webhook(delivery, options)` (`verifyStripeWebhook`), passing exactly their spec's parts.
 *
 * @throws {WebhookVerificationError} the delivery is not authentic, is stale, too large or unreadable.
 * @throws {ConfigurationError} the options cannot work (no secret, a key of the wrong kind, no `url` for a
 * scheme that signs the URL), or a part the definition needs was not passed: a programming error, not a
 * bad delivery.
 */
export function verifyWebhookWith<Event extends WebhookEvent = WebhookEvent>(
  parts: readonly WebhookVerifierParts[],
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options: WebhookVerifyOptions = {},
  versions?: WebhookVersionsDefinition,
): Promise<Event> {
  // Not an async function: a settled promise is all the caller awaits, and it costs less on the hot path.
  try {
    // The event type is the provider's claim, typed by the spec's declared events (the generated union).
    return Promise.resolve(verifyWebhookWithSync(parts, provider, definition, delivery, options, versions) as Event);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** {@link verifyWebhookWith} without the promise, for callers that must stay synchronous. */
export function verifyWebhookWithSync(
  parts: readonly WebhookVerifierParts[],
  provider: string,
  definition: WebhooksDefinition,
  delivery: WebhookDelivery,
  options: WebhookVerifyOptions = {},
  versions?: WebhookVersionsDefinition,
): WebhookEvent {
  try {
    const plan = webhookPlan(definition);
    // Merged and checked once per definition: the plan keeps them.
    plan.parts ??= mergeParts(provider, definition, parts);
    return verifyOrThrow(provider, plan, plan.parts, delivery, options, versions);
  } catch (error) {
    if (isSwitchboardError(error)) throw error;
    throw new WebhookVerificationError(provider, "malformed_signature", "the delivery could not be verified", { cause: error });
  }
}

function verifyOrThrow(
  provider: string,
  plan: WebhookPlan,
  parts: WebhookVerifierParts,
  delivery: WebhookDelivery,
  options: WebhookVerifyOptions,
  versions: WebhookVersionsDefinition | undefined,
): WebhookEvent {
  const body = delivery.body;
  if (typeof body !== "string" && !(body instanceof Uint8Array))
    throw failure(provider, "invalid_payload", "the body must be the raw bytes or their string, not a parsed object");
  const sig = plan.sig;
  const max = plan.maxBodySize;
  if (body.length > max || (typeof body === "string" && Buffer.byteLength(body) > max))
    throw failure(provider, "payload_too_large", `the body is larger than ${max} bytes`);
  const bytes = typeof body === "string" || Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const headers = delivery.headers ?? {};
  // A challenge the provider does not sign is answered before verification, with its echo only.
  const handshakes = plan.handshakes;
  if (handshakes !== undefined) {
    const open = parts.handshake!(provider, handshakes, false, delivery, undefined);
    if (open !== undefined) return { type: "", id: undefined, payload: undefined, handshake: open };
  }
  let timestampSeconds: number | undefined;
  /** Which of options.secret the signature matched (0 for a public key), for a handshake answered with an HMAC. */
  let matched = 0;
  let expectedBodyHash: string | undefined;
  let form: FormParams | undefined;
  /** The body and what the scheme reads from it, before the signature is checked (webhookBodyValues). */
  let fromBody: BodyValues | undefined;
  if (plan.scheme === 1) timestampSeconds = parts.jwt!(provider, sig, headers, bytes, options);
  // A secret in a header is checked before the body is read; one in the body, once it is parsed.
  else if (plan.scheme === 3) parts.sharedSecret!(provider, sig, headers, undefined, options);
  else if (plan.scheme === 0) {
    if (plan.parseFirst) fromBody = parts.bodyValues!(provider, sig, bytes);
    const hash = plan.algorithmFrom ? parts.algorithmHeader!(provider, sig, headers, plan.hash) : plan.hash;

    // Each value from the first of its header sets that carries it (svix-* before webhook-*, value by value).
    // A signature header repeated with different values is malformed, as any header is: a list of
    // signatures is one value in the scheme's format (Stripe's "v1=..,v1=..", Svix's "v1,.. v1,..").
    const names = plan.headers;
    let signatureHeader = names.signature[0]!;
    let value = fromBody?.signature ?? headerOnce(provider, headers, signatureHeader);
    for (let i = 1; i < names.signature.length && value === undefined; i++)
      value = headerOnce(provider, headers, (signatureHeader = names.signature[i]!));
    if (value === undefined) throw failure(provider, "missing_signature", `the ${names.signature[0]!} header is missing`);
    const parsed = parseSignatureHeader(plan, value);
    if (parsed === undefined)
      throw failure(provider, "malformed_signature", `${signatureWhere(fromBody, signatureHeader)} is not in the expected format`);

    const timestamp =
      fromBody?.timestamp ?? (names.timestamp.length > 0 ? firstHeader(provider, headers, names.timestamp, "timestamp") : parsed.timestamp);
    const format = plan.timestampFormat;
    timestampSeconds =
      timestamp === undefined
        ? undefined
        : format !== undefined
          ? parts.timestamp!(format, timestamp)
          : TIMESTAMP.test(timestamp)
            ? Number(timestamp)
            : NaN;
    if (timestampSeconds !== undefined && !Number.isFinite(timestampSeconds))
      throw failure(provider, "malformed_signature", `the timestamp is not in ${format ?? "unix seconds"}`);
    const id = names.id.length > 0 ? firstHeader(provider, headers, names.id, "message id") : undefined;

    const url = delivery.url;
    const bodyHash = plan.bodyHash;
    if (url === undefined && (plan.signsUrl || bodyHash !== undefined))
      throw new ConfigurationError(`${provider} signs the URL: pass the full URL the delivery was posted to as delivery.url`);
    expectedBodyHash = bodyHash !== undefined ? parts.bodyHash!.claimed(url!, bodyHash.queryParam) : undefined;
    // Read once, and before hashing only when the scheme signs them; a hashed (JSON) body has no parameters.
    form = expectedBodyHash === undefined && plan.signsForm ? parts.forms!.parse(bytes) : undefined;
    const formText = form !== undefined ? parts.forms!.sorted(form) : "";

    const method = plan.signsMethod ? (delivery.method ?? "POST").toUpperCase() : undefined;
    const content: (string | Buffer | undefined)[] = [bytes, timestamp, id, url, formText, method];
    if (fromBody) content.push(...fromBody.values);
    matched = compareSignatures(plan, parts, hash, parsed.signatures, content, options);
    if (matched === MALFORMED)
      throw failure(
        provider,
        "malformed_signature",
        `no signature in ${signatureWhere(fromBody, signatureHeader)} has the expected encoding and length`,
      );
    if (matched < 0) throw failure(provider, "signature_mismatch", `no signature in ${signatureWhere(fromBody, signatureHeader)} matches`);
    if (expectedBodyHash !== undefined) parts.bodyHash!.check(provider, bodyHash!, expectedBodyHash, bytes);
  }
  checkTolerance(provider, plan, timestampSeconds, options);

  let payload: unknown;
  const encoding = plan.payloadEncoding;
  // An empty body is refused unless the spec allows one, or it may be a signed challenge (Okta's GET
  // verification carries its secret and no body): refused then only if no handshake matches it.
  const emptyRefused = bytes.length === 0 && !plan.allowEmpty;
  if (fromBody) payload = fromBody.payload;
  else if (bytes.length === 0) {
    if (emptyRefused && (handshakes === undefined || plan.scheme === 2)) throw emptyBody(provider);
  } else if (
    encoding === "json" ||
    (payload = parts.forms!.payload(provider, encoding, headers, bytes, form, expectedBodyHash !== undefined)) === undefined
  ) {
    try {
      payload = JSON.parse(typeof bytes === "string" ? bytes : decodeUtf8(bytes)) as unknown;
    } catch {
      throw failure(provider, "invalid_payload", "the body is not valid JSON");
    }
  }
  if (plan.scheme === 2) parts.sharedSecret!(provider, sig, headers, payload, options);
  const type = locate(provider, plan.eventType, headers, payload) ?? "";
  const eventId = locate(provider, plan.eventId, headers, payload);
  if (handshakes !== undefined) {
    // A signed challenge: answered only now that the signature verified.
    const answer = parts.handshake!(provider, handshakes, true, delivery, payload, plan.sig, options.secret, matched);
    if (answer !== undefined) return { type, id: eventId, payload, handshake: answer };
    if (emptyRefused) throw emptyBody(provider);
  }
  const event: { -readonly [K in keyof WebhookEvent]: WebhookEvent[K] } = { type, id: eventId, payload };
  if (plan.acknowledge !== undefined) event.acknowledge = plan.acknowledge;
  if (plan.orderKey !== undefined) {
    const orderKey = locate(provider, plan.orderKey, headers, payload);
    if (orderKey !== undefined) event.orderKey = orderKey;
  }
  // Flag a payload shaped by another API version than the pinned one (the types describe the pinned one).
  if (versions && plan.apiVersion) event.apiVersion = checkWebhookVersion(versions, locate(provider, plan.apiVersion, headers, payload));
  return event;
}

const emptyBody = (provider: string): WebhookVerificationError => failure(provider, "invalid_payload", "the body is empty");

/** Where the signature was read, for a rejection's message. */
const signatureWhere = (fromBody: BodyValues | undefined, header: string): string => fromBody?.where ?? `the ${header} header`;

function failure(provider: string, code: WebhookVerificationErrorCode, message: string): WebhookVerificationError {
  return new WebhookVerificationError(provider, code, message);
}

/** The value of the first of `names` the delivery carries (one value, however often it is repeated). */
function firstHeader(provider: string, headers: Headers, names: readonly string[], what: string): string {
  for (const name of names) {
    const value = headerOnce(provider, headers, name, `the ${what}`);
    if (value !== undefined) return value;
  }
  throw failure(provider, "missing_signature", `the ${what} header ${names[0]!} is missing`);
}

/** compareSignatures' verdicts other than a match (the index of the secret that matched). */
const MISMATCH = -1;
const MALFORMED = -2;

/** Reused by the HMAC comparison for the usual single signature, so that decoding it allocates nothing. */
const SIGNATURE = { sha1: Buffer.alloc(20), sha256: Buffer.alloc(32), sha512: Buffer.alloc(64) };

/**
 * The index of the secret a signature matches (0 for a public key), MISMATCH when none does, MALFORMED when
 * no signature even has the scheme's encoding and length. `values`
 * fill the content parts (see feedContent). The URL with or without its default port is tried only when
 * the URL as given did not match, and the search stops at the first match (which tells an observer nothing
 * it does not learn from the acceptance).
 */
function compareSignatures(
  plan: WebhookPlan,
  parts: WebhookVerifierParts,
  hash: WebhookPlan["hash"],
  encoded: readonly string[],
  values: (string | Buffer | undefined)[],
  options: WebhookVerifyOptions,
): number {
  // values: body, timestamp, id, url, sorted form parameters, method (plan.ts, PARTS).
  // Loops rather than map/some: no closure per delivery. The usual single signature needs no array.
  const count = encoded.length;
  const into = hash !== undefined && count === 1 ? SIGNATURE[hash] : undefined;
  let only: Buffer | undefined;
  let signatures: (Buffer | undefined)[] | undefined;
  for (let i = 0; i < count; i++) {
    const signature = decodeSignature(encoded[i]!, plan.encoding, into);
    const plausible =
      signature !== undefined &&
      (hash !== undefined ? signature.length === SIGNATURE[hash].length : parts.publicKeys!.plausible(plan.sig.algorithm, signature));
    if (count === 1) only = plausible ? signature : undefined;
    else (signatures ??= []).push(plausible ? signature : undefined);
  }
  if (only === undefined && (signatures === undefined || signatures.every((s) => s === undefined))) return MALFORMED;
  const secret = options.secret;
  const secrets = hash === undefined ? 1 : typeof secret === "string" ? 1 : (secret?.length ?? 0);
  if (secrets === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.secret");
  for (let variant = 0; variant < 2; variant++) {
    if (variant === 1) {
      const url = values[3];
      const other = typeof url === "string" && plan.eitherPort ? parts.otherPortUrl!(url) : undefined;
      if (other === undefined) break;
      values[3] = other;
    }
    if (hash === undefined) {
      if (parts.publicKeys!.verify(plan.sig, plan.content, values, signatures ?? [only], options.publicKey)) return 0;
      continue;
    }
    for (let s = 0; s < secrets; s++) {
      const hmac = createHmac(hash!, hmacKey(typeof secret === "string" ? secret : secret![s]!, plan.secretEncoding));
      feedContent(plan.content, values, hmac);
      const digest = hmac.digest();
      if (only !== undefined) {
        if (timingSafeEqual(digest, only)) return s;
      } else for (const signature of signatures!) if (signature && timingSafeEqual(digest, signature)) return s;
    }
  }
  return MISMATCH;
}

function checkTolerance(provider: string, plan: WebhookPlan, timestamp: number | undefined, options: WebhookVerifyOptions): void {
  const seconds = options.toleranceSeconds;
  if (seconds !== undefined && !(seconds >= 0))
    throw new ConfigurationError("options.toleranceSeconds must be a number >= 0 (Infinity turns the check off)");
  const toleranceMs = seconds !== undefined ? seconds * 1000 : plan.toleranceMs;
  if (toleranceMs === undefined || timestamp === undefined) return;
  const now = options.now ?? Date.now() / 1000;
  if (!Number.isFinite(now)) throw new ConfigurationError("options.now must be unix seconds");
  const ageMs = (now - timestamp) * 1000;
  if (ageMs > toleranceMs) throw failure(provider, "timestamp_out_of_tolerance", `the timestamp is more than ${toleranceMs / 1000} s old`);
  if (plan.toleranceBoth && -ageMs > toleranceMs)
    throw failure(provider, "timestamp_out_of_tolerance", `the timestamp is more than ${toleranceMs / 1000} s in the future`);
}

function locate(provider: string, locations: readonly PlanLocation[], headers: Headers, payload: unknown): string | undefined {
  for (let i = 0; i < locations.length; i++) {
    const { header, path, map } = locations[i]!;
    const value = header !== undefined ? headerOnce(provider, headers, header) : readPath(payload, path!);
    const text = typeof value === "string" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
    if (text === undefined) continue;
    if (map === undefined) return text;
    if (Object.hasOwn(map, text)) return map[text];
  }
  return undefined;
}
