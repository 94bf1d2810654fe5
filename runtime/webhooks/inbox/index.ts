/**
 * `@switchboard/runtime/webhooks/inbox`: asynchronous webhook processing. A verified delivery is stored
 * durably and acknowledged at once (`createInboxWebhookHandler`); workers run the handler later
 * (`createInboxWorker`) with retries, backoff, per-key order, leases and a dead-letter list that
 * `replayDeadLetters` (and `switchboard webhook replay`) queues again. The stores live in
 * `@switchboard/runtime/webhooks/inbox/sqlite` (one machine) and `…/inbox/redis` (a fleet).
 */
export {
  backoffDelay,
  listDeadLetters,
  replayDeadLetters,
  type ClaimOptions,
  type DeadLetter,
  type InboxBackoff,
  type InboxClaim,
  type InboxCounts,
  type InboxEntry,
  type ReplayResult,
  type WebhookInbox,
} from "./inbox.js";
export { createInboxWebhookHandler, type InboxReceiverErrorContext, type InboxWebhookHandlerOptions } from "./receiver.js";
export {
  createInboxWorker,
  type InboxEventContext,
  type InboxRunOutcome,
  type InboxWorker,
  type InboxWorkerErrorContext,
  type InboxWorkerOptions,
} from "./worker.js";
