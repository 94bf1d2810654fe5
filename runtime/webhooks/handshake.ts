/**
 * The handshake part of the verifier (parts.ts): challenges a spec declares, answered with what the spec
 * says and nothing else: the challenge value echoed (in the body, or in a response header with an empty
 * body), or a JSON object of literals, the echo and (a signed challenge only) an HMAC of the echo. Unsigned
 * ones are answered before verification, signed ones only after.
 */
import { createHmac } from "#webhook-platform";
import type { HandshakeValueLocation, WebhookHandshakeDefinition, WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { readPath } from "../internal/json-path.js";
import { queryParam } from "./content.js";
import type { WebhookDelivery } from "./delivery.js";
import { WebhookVerificationError } from "./errors.js";
import { headerOnce } from "./headers.js";
import { hmacKey } from "./keys.js";
import type { WebhookVerifierParts } from "./parts.js";
import type { WebhookHandshakeAnswer } from "./webhook-event.js";

/** The longest challenge echoed back; providers send tens of characters. */
const MAX_CHALLENGE = 2048;
/** What an echo written into a response header may hold: visible ASCII and spaces, never a line break. */
const HEADER_ECHO = /^[\x20-\x7e]+$/;

/**
 * The answer to the first of the spec's handshakes (signed or not, as asked) that this delivery is, or
 * undefined. A verified delivery comes with its scheme (`sig`), the caller's secrets and which of them it
 * matched: the key of an answer that carries an HMAC of the echo, which only a signed challenge of an HMAC
 * scheme may (validate refuses it elsewhere, and so does handshakeAnswerContent without a secret).
 */
export function answerHandshake(
  provider: string,
  handshakes: readonly WebhookHandshakeDefinition[],
  authenticated: boolean,
  delivery: WebhookDelivery,
  payload: unknown,
  sig?: WebhookSignatureDefinition,
  secrets?: string | readonly string[],
  matched = 0,
): WebhookHandshakeAnswer | undefined {
  for (const h of handshakes) {
    if (h.authenticated !== authenticated) continue;
    if (h.method !== undefined && (delivery.method ?? "POST").toUpperCase() !== h.method) continue;
    const value = handshakeValue(provider, h.when.at, delivery, payload);
    if (value === undefined || (h.when.equals !== undefined && value !== String(h.when.equals))) continue;
    let echo: string | undefined;
    if (h.echo !== undefined) {
      echo = handshakeValue(provider, h.echo, delivery, payload);
      if (
        echo === undefined ||
        echo.length === 0 ||
        echo.length > MAX_CHALLENGE ||
        /[\u0000-\u001f\u007f]/.test(echo) ||
        (typeof h.respond === "object" && "header" in h.respond && !HEADER_ECHO.test(echo))
      )
        throw new WebhookVerificationError(provider, "invalid_payload", `the ${h.name} challenge has no usable value to answer with`);
    }
    const secret =
      authenticated && sig?.algorithm.startsWith("hmac-") ? (typeof secrets === "string" ? secrets : secrets?.[matched]) : undefined;
    const { headers, body } = handshakeAnswerContent(h, echo, secret, sig?.secretEncoding);
    // The answer's own headers last: no spec's header answer replaces them (validate refuses it anyway).
    return { name: h.name, status: 200, headers: { ...headers, ...ANSWER_HEADERS }, body };
  }
  return undefined;
}

/**
 * The headers and body of a handshake's answer for the challenge value `echo`, as the spec's `respond`
 * says: the body and its Content-Type, or (`{ header }`) the echo as that header's value and an empty body.
 * `secret` (with its encoding) keys an HMAC field; without it such a field is a ConfigurationError. Exported
 * for `switchboard webhook send --handshake`, which checks an endpoint's answer against it.
 */
export function handshakeAnswerContent(
  handshake: WebhookHandshakeDefinition,
  echo: string | undefined,
  secret?: string,
  secretEncoding: WebhookSignatureDefinition["secretEncoding"] = "raw",
): { readonly headers: Readonly<Record<string, string>>; readonly body: string } {
  const respond = handshake.respond;
  const noEcho = () => new ConfigurationError(`the ${handshake.name} handshake declares no echo to answer with`);
  if (typeof respond === "string") {
    if (echo === undefined) throw noEcho();
    return respond === "json"
      ? { headers: { "content-type": "application/json" }, body: JSON.stringify({ challenge: echo }) }
      : { headers: { "content-type": "text/plain; charset=utf-8" }, body: echo };
  }
  if ("header" in respond) {
    if (echo === undefined) throw noEcho();
    return { headers: { [respond.header]: echo }, body: "" };
  }
  const answer: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(respond.json)) {
    if (field === null || typeof field !== "object") {
      answer[name] = field;
      continue;
    }
    if (echo === undefined) throw noEcho();
    if (field.hmac === undefined) answer[name] = echo;
    else if (secret === undefined)
      throw new ConfigurationError(`the ${handshake.name} handshake answers with an HMAC: only a challenge verified with a secret can`);
    else
      answer[name] = createHmac(field.hmac, hmacKey(secret, secretEncoding))
        .update(echo)
        .digest(field.encoding ?? "hex");
  }
  return { headers: { "content-type": "application/json" }, body: JSON.stringify(answer) };
}

const ANSWER_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/** The value at a handshake location as text (a finite number in the body as its decimal text), or undefined. */
function handshakeValue(provider: string, at: HandshakeValueLocation, delivery: WebhookDelivery, payload: unknown): string | undefined {
  const { header, query, body } = at as { header?: string; query?: string; body?: readonly (string | number)[] };
  let value: unknown;
  if (header !== undefined) value = headerOnce(provider, delivery.headers ?? {}, header);
  else if (query !== undefined) value = delivery.url === undefined ? undefined : queryParam(delivery.url, query);
  else value = readPath(payload, body!);
  return typeof value === "string" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

/** Pass to verifyWebhookWith for a spec that declares handshakes. */
export const webhookHandshakes: WebhookVerifierParts = { handshake: answerHandshake };
