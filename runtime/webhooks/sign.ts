/** Signs a delivery the way a provider would: for tests, local development and `switchboard webhook sign`. */
import { Buffer, createHash, createHmac, createPrivateKey, randomUUID, sign as signAsymmetric } from "#webhook-platform";
import { signTokenScheme } from "./sign-token-schemes.js";
import type { WebhooksDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { contentBytes, feedContent, parseForm, queryParam, sortedFormParams } from "./content.js";
import { encodeSignature, hmacKey } from "./keys.js";
import { readPath, textAt } from "../internal/json-path.js";
import { webhookPlan } from "./plan.js";
import { formatSignatureHeader } from "./signature-header.js";

export interface SignWebhookInput {
  readonly body: string | Uint8Array;
  /** HMAC schemes: the signing secret as the provider hands it out. Ed25519 / ECDSA: a PEM private key. */
  readonly secret: string;
  /**
   * Unix seconds, written as the scheme writes timestamps (seconds, milliseconds or RFC 3339), or the
   * timestamp text exactly as it is to be sent. @default now
   */
  readonly timestamp?: number | string;
  /** The request method, for schemes that sign it. @default POST */
  readonly method?: string;
  /** The message id for schemes that sign one. @default msg_<random uuid> */
  readonly id?: string;
  /** The URL the delivery is posted to, for schemes that sign it. */
  readonly url?: string;
  /**
   * @default what the spec's payload encoding implies (`auto`: JSON when the body starts with { or [;
   * `text`: text/plain; charset=utf-8)
   */
  readonly contentType?: string;
}

export interface SignedWebhook {
  /** Lower-case header names: the signature, its timestamp and id where the scheme has them, Content-Type. */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL to post to: `url`, plus the body-hash parameter for schemes such as Twilio's JSON variant. */
  readonly url?: string;
  /**
   * The body to send, when the scheme writes into it: a `shared-secret` scheme's secret where the spec
   * locates it (every notification's clientState); the timestamp at `timestampAt`, a value a body part
   * signs that the body lacks (`id`, or a random token), and the signature at `signatureAt` (Mailgun's
   * signature object). The body is then re-serialized (JSON.stringify).
   */
  readonly body?: string;
}

const FORM = "application/x-www-form-urlencoded";

/** The headers (and URL) a provider would send for `input.body`. The secret never appears in the result. */
export function signWebhook(definition: WebhooksDefinition, input: SignWebhookInput): SignedWebhook {
  const sig = definition.signature;
  if (sig.algorithm === "jwt-hs256" || sig.algorithm === "shared-secret") return signTokenScheme(definition, input);
  let body =
    typeof input.body === "string" ? Buffer.from(input.body) : Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const contentType = input.contentType ?? defaultContentType(definition, body);
  const isForm = contentType.toLowerCase().startsWith(FORM);
  const plan = webhookPlan(definition);
  let url = input.url;
  if (url === undefined && (plan.signsUrl || sig.bodyHash !== undefined))
    throw new ConfigurationError("this provider signs the URL: pass the URL the delivery is posted to");
  let hashed = false;
  if (sig.bodyHash !== undefined && url !== undefined && (queryParam(url, sig.bodyHash.queryParam) !== undefined || !isForm)) {
    if (queryParam(url, sig.bodyHash.queryParam) === undefined) {
      const digest = createHash(sig.bodyHash.algorithm).update(body).digest(sig.bodyHash.encoding);
      const hash = url.indexOf("#");
      const base = hash < 0 ? url : url.slice(0, hash);
      url = `${base}${base.includes("?") ? "&" : "?"}${sig.bodyHash.queryParam}=${encodeURIComponent(digest)}${hash < 0 ? "" : url.slice(hash)}`;
    }
    hashed = true;
  }
  const timestamp =
    typeof input.timestamp === "string" ? input.timestamp : formatTimestamp(sig.timestampFormat, input.timestamp ?? Date.now() / 1000);
  const id = input.id ?? `msg_${randomUUID().replaceAll("-", "")}`;
  // A scheme that reads signed values from the body: the timestamp written at timestampAt (as a number
  // where the body has one there, or none), a signed value the body lacks filled with the id.
  let payload: unknown;
  const bodyPaths = sig.content.flatMap((part) => (typeof part === "object" && "body" in part ? [part.body] : []));
  if (plan.parseFirst) {
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ConfigurationError("this scheme reads signed values from a JSON body: the body is not JSON");
    }
    if (sig.timestampAt !== undefined) {
      const current = readPath(payload, sig.timestampAt);
      const numeric = typeof current === "number" || (current === undefined && sig.timestampFormat !== "rfc3339");
      writePath(payload, sig.timestampAt, numeric ? Number(timestamp) : timestamp);
    }
    for (const path of bodyPaths) if (textAt(payload, path) === undefined) writePath(payload, path, id);
    body = Buffer.from(JSON.stringify(payload));
  }
  const form = !hashed && plan.signsForm ? sortedFormParams(parseForm(body)) : undefined;
  const values = [body, timestamp, id, url, form, (input.method ?? "POST").toUpperCase()];
  for (const path of bodyPaths) values.push(textAt(payload, path));
  let signature: Buffer;
  if (plan.hash === undefined) {
    let key;
    try {
      key = createPrivateKey(input.secret);
    } catch {
      throw new ConfigurationError(`signing ${sig.algorithm} needs a PEM private key`);
    }
    signature = signAsymmetric(sig.algorithm === "ed25519" ? null : "sha256", contentBytes(plan.content, values), {
      key,
      dsaEncoding: "der",
    });
  } else {
    const hmac = createHmac(plan.hash, hmacKey(input.secret, sig.secretEncoding));
    feedContent(plan.content, values, hmac);
    signature = hmac.digest();
  }
  const formatted = formatSignatureHeader(sig.format, encodeSignature(signature, sig.encoding), timestamp);
  const headers: Record<string, string> = {};
  if (sig.signatureAt === undefined) headers[sig.header] = formatted;
  headers["content-type"] = contentType;
  if (sig.timestampHeader !== undefined) headers[sig.timestampHeader] = timestamp;
  if (sig.idHeader !== undefined) headers[sig.idHeader] = id;
  if (sig.signatureAt !== undefined) writePath(payload, sig.signatureAt, formatted);
  const sent = plan.parseFirst ? { body: sig.signatureAt !== undefined ? JSON.stringify(payload) : body.toString("utf8") } : {};
  return url === undefined ? { headers, ...sent } : { headers, url, ...sent };
}

/** Sets `value` at `path`, making the objects on the way (a body the scheme writes signed values into). */
function writePath(root: unknown, path: readonly (string | number)[], value: unknown): void {
  if (typeof root !== "object" || root === null) throw new ConfigurationError("the body must be a JSON object to carry signed values");
  let node = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== "object" || next === null) node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function formatTimestamp(format: WebhooksDefinition["signature"]["timestampFormat"], seconds: number): string {
  if (format === "milliseconds") return String(Math.floor(seconds * 1000));
  if (format === "rfc3339") return new Date(Math.floor(seconds * 1000)).toISOString();
  return String(Math.floor(seconds));
}

function defaultContentType(definition: WebhooksDefinition, body: Buffer): string {
  const encoding = definition.payload.encoding;
  if (encoding === "json") return "application/json";
  if (encoding === "form") return FORM;
  if (encoding === "text") return "text/plain; charset=utf-8";
  const first = body.toString("utf8", 0, Math.min(body.length, 64)).trimStart()[0];
  return first === "{" || first === "[" || body.length === 0 ? "application/json" : FORM;
}
