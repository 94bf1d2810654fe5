/**
 * The webhook handler runner: verify a delivery, run the application's handler for the event at most
 * once to success, and answer the provider with a status that makes it redeliver exactly when it
 * should. Framework adapters (`@switchboard/runtime/webhooks/node`, `/express`, `/fastify`, `/fetch`) turn a
 * request into a `WebhookDelivery` and the `WebhookResponse` back into a reply.
 */
import { ConfigurationError, isStoreUnavailableError } from "../errors/errors.js";
import { systemClock } from "../clock.js";
import { StoreWatch, watchedCall, type StoreHealthEvent } from "../policies/store-guard.js";
import type { WebhookEvent } from "./webhook-event.js";
import { MemoryDedupStore, positiveInteger, type DedupStore } from "./dedup-store.js";
import type { WebhookDelivery } from "./delivery.js";
import { isWebhookVerificationError, type WebhookVerificationError, type WebhookVerificationErrorCode } from "./errors.js";

/** What the adapter sends back. `body` is small JSON that names a code and never echoes the delivery. */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A delivery in, a response out: what `createWebhookHandler` returns and what every adapter wraps. */
export type WebhookHandler = (delivery: WebhookDelivery) => Promise<WebhookResponse>;

/**
 * The status answered for each verification failure. Signature problems are 401 (the delivery is not
 * authenticated), a header that cannot be parsed and a body that is not a valid payload are 400, an
 * oversized body is 413. Every one is non-2xx, so a provider whose secret was rotated keeps retrying
 * until the new secret is configured.
 */
export const WEBHOOK_REJECTION_STATUS: Readonly<Record<WebhookVerificationErrorCode, number>> = {
  missing_signature: 401,
  malformed_signature: 400,
  signature_mismatch: 401,
  timestamp_out_of_tolerance: 401,
  payload_too_large: 413,
  invalid_payload: 400,
};

/** Why the runner answered as it did: the `error` field of a non-2xx body, beside verification codes. */
export type WebhookRunnerErrorCode = "in_progress" | "handler_failed" | "dedup_unavailable" | "internal_error";

/**
 * Where an error reported to `onError` came from. `receive`: the adapter could not turn the request into a
 * delivery (Express: a body a parser consumed without keeping its bytes); answered 500, nothing verified.
 */
export type WebhookErrorContext<E> =
  { readonly stage: "receive" | "verify" } | { readonly stage: "dedup" | "handle" | "complete" | "release"; readonly event: E };

export interface WebhookHandlerOptions<E extends WebhookEvent> {
  /** Verifies the raw delivery: a generated `verify<Provider>Webhook` (`verifyStripeWebhook`) with its options bound, or your own. */
  readonly verify: (delivery: WebhookDelivery) => Promise<E>;
  /** The application's work. Throw (or reject) to have the provider redeliver the event later. */
  readonly handle: (event: E) => Promise<void> | void;
  /** Where handled and in-progress events are remembered. @default new MemoryDedupStore() */
  readonly dedup?: DedupStore;
  /**
   * How long one attempt holds an event, in milliseconds. A concurrent duplicate is turned away while
   * the lease is live; once it expires (say the worker crashed) the next delivery takes over. Keep it
   * longer than the slowest handler run, or a slow run and a redelivery may overlap.
   * @default 300000 (5 minutes)
   */
  readonly leaseMs?: number;
  /** The `Retry-After` sent with 409 (in progress) and 503 (store unavailable), in seconds, clamped to 1..3600. @default 30 */
  readonly retryAfterSeconds?: number;
  /**
   * The dedup key of an event. `undefined` means the event cannot be deduplicated: the handler runs
   * for every delivery of it (at least once, not exactly once) and `onUndeduplicated` is called.
   * @default (event) => event.id
   */
  readonly eventKey?: (event: E) => string | undefined;
  /** Overrides entries of `WEBHOOK_REJECTION_STATUS`. */
  readonly rejectionStatus?: Partial<Record<WebhookVerificationErrorCode, number>>;
  /** A verification failure; the handler did not run. */
  readonly onRejected?: (error: WebhookVerificationError) => void;
  /** A delivery of an event that is done (2xx) or in progress elsewhere (409); the handler did not run. */
  readonly onDuplicate?: (event: E, state: "done" | "in_progress") => void;
  /** An event without a dedup key; the handler runs without deduplication. */
  readonly onUndeduplicated?: (event: E) => void;
  /**
   * Anything that went wrong besides a verification failure: the handler threw, the store failed, `verify` threw
   * something other than a `WebhookVerificationError`, or the adapter could not read the request (stage `receive`).
   */
  readonly onError?: (error: unknown, context: WebhookErrorContext<E>) => void;
  /** The dedup store failed (first failure) or answers again; never carries what the store said. */
  readonly onStoreEvent?: (event: StoreHealthEvent) => void;
  /** Time limit of one dedup-store call (other than the memory store's); longer counts as a failure. @default 1000 */
  readonly storeTimeoutMs?: number;
}

/**
 * Builds the runner. Per delivery:
 *
 * | what happened | status | handler |
 * | --- | --- | --- |
 * | verification failed | `WEBHOOK_REJECTION_STATUS[code]` (400/401/413) | not run |
 * | a verification challenge the spec declares (`event.handshake`) | 200 with the answer the spec declares | not run |
 * | `verify` threw anything else | 500 `internal_error` | not run |
 * | event new, or its lease expired | 200 after the handler succeeds (the spec's `webhooks.response.status`: `event.acknowledge.handled`), 500 `handler_failed` if it throws (the lease is released so a redelivery runs it again) | run |
 * | event done | 200 `duplicate` (likewise the spec's status) | not run |
 * | event in progress under a live lease | 409 `in_progress` with `Retry-After` | not run |
 * | the store failed (threw, rejected, no answer within `storeTimeoutMs`) or is full | 503 `dedup_unavailable` with `Retry-After`; a store declaring `onFailure: "open"`: as an event without a dedup key | not run; open: run |
 *
 * A concurrent duplicate is answered at once rather than held until the first attempt ends: providers
 * give each attempt only seconds, the first attempt's own response already tells the provider the
 * outcome, and a held connection per duplicate is what a redelivery storm must not cost.
 */
export function createWebhookHandler<E extends WebhookEvent>(options: WebhookHandlerOptions<E>): WebhookHandler {
  if (typeof options.verify !== "function") throw new ConfigurationError("createWebhookHandler needs a verify function");
  if (typeof options.handle !== "function") throw new ConfigurationError("createWebhookHandler needs a handle function");
  const { verify, handle } = options;
  const dedup: DedupStore = options.dedup ?? new MemoryDedupStore();
  // Every call of a store the runner does not own is contained and bounded (and tried on every delivery:
  // a store whose complete failed may still answer begin); the memory store never fails.
  const watch =
    dedup instanceof MemoryDedupStore
      ? undefined
      : new StoreWatch("dedup", systemClock, options.onStoreEvent ?? (() => {}), options.storeTimeoutMs, 0);
  const store = <T>(operation: string, call: () => T | Promise<T>): T | Promise<T> =>
    watch ? watchedCall(watch, operation, call, Date.now()) : call();
  const leaseMs = positiveInteger("leaseMs", options.leaseMs ?? 300_000);
  const retryAfter = String(Math.min(3600, Math.max(1, Math.ceil(options.retryAfterSeconds ?? 30))));
  const eventKey = options.eventKey ?? ((event: E) => event.id);
  const rejectionStatus = { ...WEBHOOK_REJECTION_STATUS, ...options.rejectionStatus };
  const report = hookCaller(options.onError);
  const rejected = hookCaller(options.onRejected);
  const duplicate = hookCaller(options.onDuplicate);
  const undeduplicated = hookCaller(options.onUndeduplicated);

  async function run(event: E, context: WebhookErrorContext<E>): Promise<boolean> {
    try {
      await handle(event);
      return true;
    } catch (error) {
      report(error, context);
      return false;
    }
  }

  async function runUndeduplicated(event: E): Promise<WebhookResponse> {
    undeduplicated(event);
    return (await run(event, { stage: "handle", event }))
      ? reply(event.acknowledge?.handled ?? 200, { received: true })
      : webhookErrorResponse("handler_failed");
  }

  async function handleWebhookDelivery(delivery: WebhookDelivery): Promise<WebhookResponse> {
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

    // A verification challenge: the answer the spec declares, and no handler run.
    if (event.handshake !== undefined)
      return { status: event.handshake.status, headers: event.handshake.headers, body: event.handshake.body };

    const key = eventKey(event);
    if (typeof key !== "string" || key === "") return runUndeduplicated(event);

    const token = globalThis.crypto.randomUUID(); // Web Crypto: also in workers, unlike node:crypto
    let state;
    try {
      state = await store("begin", () => dedup.begin(key, leaseMs, token));
    } catch (error) {
      report(error, { stage: "dedup", event });
      if (dedup.onFailure === "open" && isStoreUnavailableError(error)) return runUndeduplicated(event);
      return webhookErrorResponse("dedup_unavailable", undefined, { "retry-after": retryAfter });
    }
    if (state === "done") {
      duplicate(event, "done");
      return reply(event.acknowledge?.handled ?? 200, { received: true, duplicate: true });
    }
    if (state === "in_progress") {
      duplicate(event, "in_progress");
      return webhookErrorResponse("in_progress", undefined, { "retry-after": retryAfter });
    }

    if (!(await run(event, { stage: "handle", event }))) {
      try {
        await store("release", () => dedup.release(key, token));
      } catch (error) {
        // The lease stays until it expires; a redelivery after that runs the handler.
        report(error, { stage: "release", event });
      }
      return webhookErrorResponse("handler_failed");
    }
    try {
      await store("complete", () => dedup.complete(key, token));
    } catch (error) {
      // The handler did its work: answering non-2xx would make the provider redeliver and run it
      // again. The lease keeps duplicates out until it expires.
      report(error, { stage: "complete", event });
    }
    return reply(event.acknowledge?.handled ?? 200, { received: true });
  }

  return withReceiveErrors(handleWebhookDelivery, (error) => report(error, { stage: "receive" }));
}

/** Where a runner keeps its reporter of errors before verification (a registered symbol: one per realm, whatever copy of the package). */
const RECEIVE_ERRORS = Symbol.for("switchboard.webhooks.receiveErrors");

/** The runner `handler`, carrying `report` for reportReceiveError: a WebhookHandler's type is only its call. */
export function withReceiveErrors(handler: WebhookHandler, report: (error: unknown) => void): WebhookHandler {
  Object.defineProperty(handler, RECEIVE_ERRORS, { value: report });
  return handler;
}

/**
 * Reports to the runner's `onError` (stage `receive`) what kept an adapter from making a delivery, such as
 * a body a parser already consumed. A handler of the application's own (not a runner) has no reporter.
 */
export function reportReceiveError(handler: WebhookHandler, error: unknown): void {
  const report = (handler as WebhookHandler & { [RECEIVE_ERRORS]?: (error: unknown) => void })[RECEIVE_ERRORS];
  report?.(error);
}

/** The default status of each runner error code. */
const RUNNER_ERROR_STATUS: Readonly<Record<WebhookRunnerErrorCode, number>> = {
  in_progress: 409,
  handler_failed: 500,
  dedup_unavailable: 503,
  internal_error: 500,
};

/**
 * The response the runner gives for an error code: `{"error": code}` with the code's default status
 * unless `status` is given. Adapters use it for what they reject before verifying (an oversized body).
 */
export function webhookErrorResponse(
  code: WebhookVerificationErrorCode | WebhookRunnerErrorCode,
  status?: number,
  headers: Record<string, string> = {},
): WebhookResponse {
  const fallback =
    code in RUNNER_ERROR_STATUS
      ? RUNNER_ERROR_STATUS[code as WebhookRunnerErrorCode]
      : WEBHOOK_REJECTION_STATUS[code as WebhookVerificationErrorCode];
  return reply(status ?? fallback, { error: code }, headers);
}

function reply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): WebhookResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

/** A hook that throws must not change the answer given to the provider. */
function hookCaller<A extends unknown[]>(hook: ((...args: A) => void) | undefined): (...args: A) => void {
  return (...args) => {
    try {
      hook?.(...args);
    } catch {
      // deliberately ignored
    }
  };
}
