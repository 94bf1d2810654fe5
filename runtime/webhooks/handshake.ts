/**
 * The handshake part of the verifier (parts.ts): challenges a spec declares, answered with the challenge
 * value echoed and nothing else. Unsigned ones are answered before verification, signed ones only after.
 */
import type { HandshakeValueLocation, WebhookHandshakeDefinition } from "../definition.js";
import { readPath } from "../internal/json-path.js";
import { queryParam } from "./content.js";
import type { WebhookDelivery } from "./delivery.js";
import { WebhookVerificationError } from "./errors.js";
import { headerValue } from "./headers.js";
import type { WebhookVerifierParts } from "./parts.js";
import type { WebhookHandshakeAnswer } from "./webhook-event.js";

/** The longest challenge echoed back; providers send tens of characters. */
const MAX_CHALLENGE = 2048;

/**
 * The answer to the first of the spec's handshakes (signed or not, as asked) that this delivery is, or
 * undefined. The answer is only the challenge value echoed, so it can never carry a MAC or a secret.
 */
export function answerHandshake(
  provider: string,
  handshakes: readonly WebhookHandshakeDefinition[],
  authenticated: boolean,
  delivery: WebhookDelivery,
  payload: unknown,
): WebhookHandshakeAnswer | undefined {
  for (const h of handshakes) {
    if (h.authenticated !== authenticated) continue;
    if (h.method !== undefined && (delivery.method ?? "POST").toUpperCase() !== h.method) continue;
    const value = handshakeValue(h.when.at, delivery, payload);
    if (value === undefined || (h.when.equals !== undefined && value !== h.when.equals)) continue;
    const echo = handshakeValue(h.echo, delivery, payload);
    if (echo === undefined || echo.length === 0 || echo.length > MAX_CHALLENGE || /[\u0000-\u001f\u007f]/.test(echo))
      throw new WebhookVerificationError(provider, "invalid_payload", `the ${h.name} challenge has no usable value to answer with`);
    return h.respond === "json"
      ? {
          name: h.name,
          status: 200,
          headers: { ...ANSWER_HEADERS, "content-type": "application/json" },
          body: JSON.stringify({ challenge: echo }),
        }
      : { name: h.name, status: 200, headers: { ...ANSWER_HEADERS, "content-type": "text/plain; charset=utf-8" }, body: echo };
  }
  return undefined;
}

const ANSWER_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

function handshakeValue(at: HandshakeValueLocation, delivery: WebhookDelivery, payload: unknown): string | undefined {
  const { header, query, body } = at as { header?: string; query?: string; body?: readonly (string | number)[] };
  let value: unknown;
  if (header !== undefined) value = headerValue(delivery.headers ?? {}, header);
  else if (query !== undefined) value = delivery.url === undefined ? undefined : queryParam(delivery.url, query);
  else value = readPath(payload, body!);
  return typeof value === "string" ? value : undefined;
}

/** Pass to verifyWebhookWith for a spec that declares handshakes. */
export const webhookHandshakes: WebhookVerifierParts = { handshake: answerHandshake };
