/**
 * Smaller parts of the verifier (parts.ts): form bodies and the URL extras that come with them, an HMAC
 * algorithm named by a header, timestamps not in unix seconds, signed values in the JSON body, bodies read
 * as text.
 */
import { Buffer, createHash, decodeUtf8, timingSafeEqual } from "#webhook-platform";
import type { WebhooksDefinition, WebhookSignatureDefinition } from "../definition.js";
import { otherPortUrl, parseForm, queryParam, sortedFormParams, type FormParams } from "./content.js";
import { pathText, textAt } from "../internal/json-path.js";
import { WebhookVerificationError } from "./errors.js";
import { headerOnce } from "./headers.js";
import { decodeSignature } from "./keys.js";
import type { WebhookVerifierParts } from "./parts.js";
import { hmacHash } from "./plan.js";

type BodyHash = NonNullable<WebhookSignatureDefinition["bodyHash"]>;

/**
 * Where a claimed SHA-256 digest is decoded, reused: a new Buffer of its own would allocate an ArrayBuffer
 * per delivery (Buffer.alloc does not use the pool), a cost the body-hash schemes paid on every delivery.
 * The check is synchronous, so no other delivery writes it in between.
 */
const CLAIMED_SHA256 = Buffer.alloc(32);

/** The body's digest against the one a URL parameter claims (hex in either case). */
function checkBodyHash(provider: string, bodyHash: BodyHash, claimed: string, body: string | Buffer): void {
  const actual = createHash(bodyHash.algorithm).update(body).digest();
  const into = actual.length === 32 ? CLAIMED_SHA256 : Buffer.alloc(actual.length);
  const expected =
    decodeSignature(claimed, bodyHash.encoding, into) ??
    (bodyHash.encoding === "hex" ? decodeSignature(claimed.toLowerCase(), "hex", into) : undefined);
  if (expected === undefined || !timingSafeEqual(actual, expected))
    throw new WebhookVerificationError(provider, "signature_mismatch", `the body does not match the ${bodyHash.queryParam} URL parameter`);
}

/** Refuses what is not UTF-8 rather than replacing it: a payload read as text is the text sent. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A `text` payload: the body decoded as UTF-8, a leading byte order mark dropped. */
function utf8Text(provider: string, body: string | Buffer): string {
  if (typeof body === "string") return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  try {
    return UTF8.decode(body);
  } catch {
    throw new WebhookVerificationError(provider, "invalid_payload", "the body is not valid UTF-8 text");
  }
}

const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

/** A body not read as JSON: see WebhookVerifierParts.forms.payload. */
function payload(
  provider: string,
  encoding: WebhooksDefinition["payload"]["encoding"],
  headers: Parameters<typeof headerOnce>[1],
  body: string | Buffer,
  form: FormParams | undefined,
  bodyHashed: boolean,
): unknown {
  if (encoding === "text") return utf8Text(provider, body);
  // `auto`: a form when the Content-Type says so, unless the URL carries the body's digest (a JSON body).
  if (encoding === "form" || (!bodyHashed && FORM_TYPE.test(headerOnce(provider, headers, "content-type") ?? "")))
    return bodyHashed ? {} : (form ?? parseForm(body));
  return undefined;
}

/**
 * Pass to verifyWebhookWith for a scheme with bodies not read as JSON (form-encoded, read or signed as
 * sorted parameters; or text, `payload.encoding: text`), a body digest in a URL parameter, or a URL signed
 * with or without its default port.
 */
export const webhookForms: WebhookVerifierParts = {
  forms: { parse: parseForm, sorted: sortedFormParams, payload },
  otherPortUrl,
  bodyHash: { claimed: queryParam, check: checkBodyHash },
};

/** The HMAC hash the delivery's settings header names (Twilio's SharedKey variant); `fallback` without one. */
function algorithmHeader(
  provider: string,
  sig: WebhookSignatureDefinition,
  headers: Parameters<typeof headerOnce>[1],
  fallback: ReturnType<typeof hmacHash>,
): ReturnType<typeof hmacHash> {
  const from = sig.algorithmFrom!;
  const value = headerOnce(provider, headers, from.header);
  if (value === undefined) return fallback;
  // As twilio-node reads it: items split at the first "=", both sides trimmed; no such item: the default.
  let named: string | undefined;
  for (const part of value.split(",")) {
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

/** A timestamp in milliseconds or RFC 3339 as unix seconds; NaN when it is not written as the scheme says. */
function timestamp(format: NonNullable<WebhookSignatureDefinition["timestampFormat"]>, text: string): number {
  if (format === "milliseconds") {
    // Up to 15 digits are read exactly by the digit loop (below 2^53); longer ones, rare, by Number.
    const length = text.length;
    return (length > 0 && length < 16 ? digits(text, 0, length) : TIMESTAMP_MS.test(text) ? Number(text) : NaN) / 1000;
  }
  return rfc3339Seconds(text);
}

/** `count` decimal digits of `text` from `at` as a number; NaN if any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), in integer arithmetic
 * rather than through Date.UTC (rfc3339.test.ts compares the result with Date.parse): about 30 ns less per timestamp.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * An RFC 3339 date-time (`2026-01-01T00:00:00.123Z`, `...+05:30`; `T` and `Z` in either case, at most 9
 * fraction digits) as unix seconds; NaN for anything else, including a date or time that does not exist
 * (February 30, 24:00, a leap second). Read by hand: Date.parse and a regular expression cost Twitch's
 * verification about a tenth of its time at 2 KB.
 */
export function rfc3339Seconds(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (text.charCodeAt(10) | 32) !== 116) return NaN;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let at = 19;
  let fraction = 0;
  if (text.charCodeAt(at) === 46) {
    const start = ++at;
    let scale = 1;
    for (; at < text.length && at - start < 9; at++) {
      const digit = text.charCodeAt(at) - 48;
      if (!(digit >= 0 && digit <= 9)) break;
      fraction = fraction * 10 + digit;
      scale *= 10;
    }
    if (at === start) return NaN;
    fraction /= scale;
  }
  const zone = text.charCodeAt(at);
  let offsetMinutes = 0;
  if ((zone | 32) === 122) {
    if (at + 1 !== text.length) return NaN;
  } else if ((zone === 43 || zone === 45) && at + 6 === text.length && text.charCodeAt(at + 3) === 58) {
    const hours = digits(text, at + 1, 2);
    const minutes = digits(text, at + 4, 2);
    if (!(hours < 24 && minutes < 60)) return NaN;
    offsetMinutes = (zone === 43 ? 1 : -1) * (hours * 60 + minutes);
  } else return NaN;
  // Comparisons with NaN are false: a non-digit anywhere fails here.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour < 24 && minute < 60 && second < 60)) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : 30 + ((month + (month >> 3)) & 1))) return NaN;
  return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second + fraction - offsetMinutes * 60;
}

/** Pass to verifyWebhookWith for a scheme whose timestamps are in milliseconds or RFC 3339. */
export const webhookTimestampFormats: WebhookVerifierParts = { timestamp };

const bodyPathsOf = new WeakMap<WebhookSignatureDefinition, readonly (readonly (string | number)[])[]>();

/** The paths of a scheme's {body} content parts, found once per definition. */
function bodyPaths(sig: WebhookSignatureDefinition): readonly (readonly (string | number)[])[] {
  let paths = bodyPathsOf.get(sig);
  if (paths === undefined)
    bodyPathsOf.set(sig, (paths = sig.content.flatMap((part) => (typeof part === "object" && "body" in part ? [part.body] : []))));
  return paths;
}

/**
 * Pass to verifyWebhookWith for a scheme that reads its signature, timestamp or signed values from the JSON
 * body (Mailgun's signature object, Linear's webhookTimestamp): the body is parsed before the signature is
 * checked, and a value the scheme needs that the body lacks is missing_signature.
 */
export const webhookBodyValues: WebhookVerifierParts = {
  bodyValues(provider, sig, body) {
    if (body.length === 0) throw new WebhookVerificationError(provider, "invalid_payload", "the body is empty");
    let payload: unknown;
    try {
      payload = JSON.parse(typeof body === "string" ? body : decodeUtf8(body));
    } catch {
      throw new WebhookVerificationError(provider, "invalid_payload", "the body is not valid JSON");
    }
    const read = (path: readonly (string | number)[], what: string): string => {
      const text = textAt(payload, path);
      if (text === undefined)
        throw new WebhookVerificationError(provider, "missing_signature", `the body has no ${what} at ${pathText(path)}`);
      return text;
    };
    const at = sig.signatureAt;
    return {
      payload,
      signature: at && read(at, "signature"),
      where: at && `the body's ${pathText(at)}`,
      timestamp: sig.timestampAt && read(sig.timestampAt, "timestamp"),
      values: bodyPaths(sig).map((path) => read(path, "signed value")),
    };
  },
};
