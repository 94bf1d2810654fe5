/**
 * The receiving side of the inbox: verify a delivery, store the event durably, acknowledge. The
 * handler does not run here; workers (`createInboxWorker`) run it later. Every framework adapter takes
 * what this returns, as it takes `createWebhookHandler`'s runner.
 */
import { ConfigurationError } from "../../errors/errors.js";
import { isWebhookVerificationError, type WebhookVerificationError, type WebhookVerificationErrorCode } from "../errors.js";
import {
  WEBHOOK_REJECTION_STATUS,
  webhookErrorResponse,
  withReceiveErrors,
  type WebhookHandler,
  type WebhookResponse,
} from "../handler.js";
import type { WebhookDelivery } from "../delivery.js";
import type { WebhookEvent } from "../webhook-event.js";
import type { WebhookInbox } from "./inbox.js";

/** Where an error reported to `onError` came from (`receive`: the adapter could not read the request, as for createWebhookHandler). */
export type InboxReceiverErrorContext<E> = { readonly stage: "receive" | "verify" } | { readonly stage: "enqueue"; readonly event: E };

export interface InboxWebhookHandlerOptions<E extends WebhookEvent> {
  /** Verifies the raw delivery: a generated `verify<Provider>Webhook` (`verifyStripeWebhook`) with its options bound, or your own. */
  readonly verify: (delivery: WebhookDelivery) => Promise<E>;
  /** Where verified events are stored for the workers. */
  readonly inbox: WebhookInbox;
  /**
   * The dedup key of an event: a second delivery with the same key is acknowledged as a duplicate and
   * not stored again. `undefined` (the provider sends no id): the event is stored under a random key on
   * every delivery, so it is handled at least once, not exactly once, and `onUndeduplicated` is called.
   * @default (event) => event.id
   */
  readonly eventKey?: (event: E) => string | undefined;
  /**
   * The order key of an event: events with the same key are handled one at a time, in the order they
   * were stored (say the object id, for a provider whose updates to one object must apply in order).
   * `undefined`: no order with other events.
   * @default (event) => event.orderKey (where the spec's `webhooks.orderKey` says; else no order)
   */
  readonly orderKey?: (event: E) => string | undefined;
  /** The `Retry-After` sent with 503 (the inbox failed), in seconds, clamped to 1..3600. @default 30 */
  readonly retryAfterSeconds?: number;
  /** Overrides entries of `WEBHOOK_REJECTION_STATUS`. */
  readonly rejectionStatus?: Partial<Record<WebhookVerificationErrorCode, number>>;
  /** @default Date.now */
  readonly now?: () => number;
  /** A verification failure; nothing was stored. */
  readonly onRejected?: (error: WebhookVerificationError) => void;
  /** A delivery of an event already in the inbox; acknowledged, not stored again. */
  readonly onDuplicate?: (event: E) => void;
  /** An event without a dedup key, stored under a random one. */
  readonly onUndeduplicated?: (event: E) => void;
  /**
   * `verify` threw something other than a verification error, the inbox failed to store the event, or the
   * adapter could not read the request (stage `receive`).
   */
  readonly onError?: (error: unknown, context: InboxReceiverErrorContext<E>) => void;
}

/**
 * Builds a delivery handler that stores each verified event in `inbox` and acknowledges it once stored.
 *
 * | what happened | status |
 * | --- | --- |
 * | verification failed | `WEBHOOK_REJECTION_STATUS[code]` (400/401/413) |
 * | a verification challenge the spec declares | 200 with the echoed challenge |
 * | `verify` threw anything else | 500 `internal_error` |
 * | stored | 200 `{"received": true}`, or the spec's `webhooks.response.queuedStatus` (`event.acknowledge.queued`: Microsoft Graph 202) |
 * | already in the inbox | 200 `{"received": true, "duplicate": true}`, or likewise the spec's status |
 * | the inbox failed (nothing acknowledged: the provider delivers again) | 503 `inbox_unavailable` with `Retry-After` |
 *
 * @example
 * const inbox = new SqliteInbox({ path: "webhooks.db" });
 * app.post("/webhooks/stripe", createExpressWebhookHandler(createInboxWebhookHandler({ verify, inbox })));
 * createInboxWorker({ inbox, handle: async (event) => { ... } }).start();
 */
export function createInboxWebhookHandler<E extends WebhookEvent>(options: InboxWebhookHandlerOptions<E>): WebhookHandler {
  if (typeof options.verify !== "function") throw new ConfigurationError("createInboxWebhookHandler needs a verify function");
  if (typeof options.inbox?.enqueue !== "function") throw new ConfigurationError("createInboxWebhookHandler needs an inbox");
  const { verify, inbox } = options;
  const retryAfter = String(Math.min(3600, Math.max(1, Math.ceil(options.retryAfterSeconds ?? 30))));
  const eventKey = options.eventKey ?? ((event: E) => event.id);
  const orderKey = options.orderKey ?? ((event: E) => event.orderKey);
  const now = options.now ?? Date.now;
  const rejectionStatus = { ...WEBHOOK_REJECTION_STATUS, ...options.rejectionStatus };
  const hook =
    <A extends unknown[]>(fn: ((...args: A) => void) | undefined) =>
    (...args: A): void => {
      try {
        fn?.(...args);
      } catch {
        // a hook that throws does not change the answer
      }
    };
  const report = hook(options.onError);
  const rejected = hook(options.onRejected);
  const duplicate = hook(options.onDuplicate);
  const undeduplicated = hook(options.onUndeduplicated);

  async function receiveIntoInbox(delivery: WebhookDelivery): Promise<WebhookResponse> {
    let event: E;
    try {
      event = await verify(delivery);
    } catch (error) {
      if (isWebhookVerificationError(error)) {
        rejected(error);
        return webhookErrorResponse(error.code, rejectionStatus[error.code]);
      }
      report(error, { stage: "verify" });
      return webhookErrorResponse("internal_error");
    }
    if (event.handshake !== undefined)
      return { status: event.handshake.status, headers: event.handshake.headers, body: event.handshake.body };

    let id = eventKey(event);
    if (typeof id !== "string" || id === "") {
      undeduplicated(event);
      id = `undeduplicated:${globalThis.crypto.randomUUID()}`;
    }
    let stored;
    try {
      const order = orderKey(event);
      stored = await inbox.enqueue({
        id,
        orderKey: typeof order === "string" && order !== "" ? order : undefined,
        event: JSON.stringify({
          type: event.type,
          id: event.id,
          payload: event.payload,
          ...(event.apiVersion !== undefined && { apiVersion: event.apiVersion }),
        }),
        receivedAt: now(),
      });
    } catch (error) {
      report(error, { stage: "enqueue", event });
      return answer(503, { error: "inbox_unavailable" }, { "retry-after": retryAfter });
    }
    if (stored === "duplicate") {
      duplicate(event);
      return answer(event.acknowledge?.queued ?? 200, { received: true, duplicate: true });
    }
    return answer(event.acknowledge?.queued ?? 200, { received: true });
  }

  return withReceiveErrors(receiveIntoInbox, (error) => report(error, { stage: "receive" }));
}

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): WebhookResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}
