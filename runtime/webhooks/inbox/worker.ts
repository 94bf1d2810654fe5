/**
 * The processing side of the inbox: claim an event under a lease, run the application's handler, and
 * report the outcome (done; retry after an exponential backoff; dead-letter after the last attempt).
 * Any number of workers, in one process or many, may share one inbox.
 */
import { ConfigurationError } from "../../errors/errors.js";
import { positiveInteger } from "../dedup-store.js";
import type { WebhookEvent } from "../webhook-event.js";
import { backoffDelay, describeFailure, type InboxBackoff, type InboxClaim, type WebhookInbox } from "./inbox.js";

/** What the handler learns about the event besides the event itself. */
export interface InboxEventContext {
  /** The inbox id (the dedup key): stable across attempts, a natural idempotency key for the handler's effects. */
  readonly id: string;
  readonly orderKey: string | undefined;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly receivedAt: number;
  /**
   * Aborted when this run lost the event's lease (a renewal found that another worker holds it now):
   * stop the work; its outcome will not be recorded, and the other worker's run counts.
   */
  readonly signal: AbortSignal;
}

/** What `runOnce` did. */
export type InboxRunOutcome =
  /** Nothing could run. */
  | "idle"
  | "done"
  | "retrying"
  | "dead_lettered"
  /** The handler finished but the lease was no longer this worker's, or the outcome could not be recorded: the event runs again once its lease expires. */
  | "lost";

export type InboxWorkerErrorContext =
  { readonly stage: "claim" } | { readonly stage: "handle" | "renew" | "settle"; readonly id: string; readonly attempt: number };

export interface InboxWorkerOptions<E extends WebhookEvent> {
  readonly inbox: WebhookInbox;
  /** The application's work. Throw (or reject) to have it retried after a backoff. */
  readonly handle: (event: E, context: InboxEventContext) => Promise<void> | void;
  /** Events this worker runs at once (events of one order key never run at once). @default 1 */
  readonly concurrency?: number;
  /**
   * How long an attempt holds its event without a renewal. A worker that dies holds it until then;
   * another worker then takes it over. While a handler runs, the worker renews the lease every
   * `renewEveryMs`, so a run may take longer than `leaseMs` as long as its worker lives.
   * @default 300000 (5 minutes)
   */
  readonly leaseMs?: number;
  /**
   * How often a running handler's lease is renewed (extended to `leaseMs` from then), in ms; `0` never
   * renews (a run longer than `leaseMs` can then overlap a takeover's run). Renewal needs an inbox
   * with `renew` (SqliteInbox and RedisInbox have it).
   * @default leaseMs / 3
   */
  readonly renewEveryMs?: number;
  /** Attempts before an event goes to the dead-letter list (attempts whose worker died count). @default 8 */
  readonly maxAttempts?: number;
  /** The delay before each retry. */
  readonly backoff?: InboxBackoff;
  /** How long an idle worker waits before it looks for events again, in ms. @default 250 */
  readonly pollMs?: number;
  /** For the backoff's jitter. @default Math.random */
  readonly random?: () => number;
  /** Waits between polls and between lease renewals; resolves early when `signal` aborts. @default a timer */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The handler failed, or the inbox failed (the worker goes on; the event's lease keeps it safe). */
  readonly onError?: (error: unknown, context: InboxWorkerErrorContext) => void;
  /** An event went to the dead-letter list. */
  readonly onDeadLetter?: (id: string, error: string) => void;
}

export interface InboxWorker {
  /** Starts `concurrency` loops that claim and run events until `stop`. */
  start(): void;
  /** Stops claiming and resolves once the runs in progress have finished. */
  stop(): Promise<void>;
  /** Claims and runs one event now (for tests and for draining by hand). */
  runOnce(): Promise<InboxRunOutcome>;
}

/**
 * @example
 * const worker = createInboxWorker({ inbox, concurrency: 4, handle: async (event, { id }) => { ... } });
 * worker.start();
 * process.on("SIGTERM", () => void worker.stop().then(() => inbox.close()));
 */
export function createInboxWorker<E extends WebhookEvent = WebhookEvent>(options: InboxWorkerOptions<E>): InboxWorker {
  if (typeof options.inbox?.claim !== "function") throw new ConfigurationError("createInboxWorker needs an inbox");
  if (typeof options.handle !== "function") throw new ConfigurationError("createInboxWorker needs a handle function");
  const { inbox, handle } = options;
  const concurrency = positiveInteger("concurrency", options.concurrency ?? 1);
  const leaseMs = positiveInteger("leaseMs", options.leaseMs ?? 300_000);
  const maxAttempts = positiveInteger("maxAttempts", options.maxAttempts ?? 8);
  const pollMs = positiveInteger("pollMs", options.pollMs ?? 250);
  const renewEveryMs =
    options.renewEveryMs === 0 ? 0 : positiveInteger("renewEveryMs", options.renewEveryMs ?? Math.max(1, Math.floor(leaseMs / 3)));
  const backoff = options.backoff ?? {};
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const report = (error: unknown, context: InboxWorkerErrorContext): void => {
    try {
      options.onError?.(error, context);
    } catch {
      // a hook that throws does not stop the worker
    }
  };

  async function settle(claim: InboxClaim, failure: unknown, failed: boolean): Promise<InboxRunOutcome> {
    const context = { stage: "settle", id: claim.id, attempt: claim.attempt } as const;
    try {
      if (!failed) return (await inbox.complete(claim.id, claim.token)) ? "done" : "lost";
      const error = describeFailure(failure);
      if (claim.attempt >= maxAttempts) {
        if (!(await inbox.deadLetter(claim.id, claim.token, error))) return "lost";
        try {
          options.onDeadLetter?.(claim.id, error);
        } catch {
          // ignored, as every hook
        }
        return "dead_lettered";
      }
      const delay = backoffDelay(backoff, claim.attempt, random);
      return (await inbox.retry(claim.id, claim.token, delay, error)) ? "retrying" : "lost";
    } catch (error) {
      // Not recorded: the lease runs out and the event runs again (at least once).
      report(error, context);
      return "lost";
    }
  }

  async function runOnce(): Promise<InboxRunOutcome> {
    let claim: InboxClaim | undefined;
    try {
      claim = await inbox.claim({ token: globalThis.crypto.randomUUID(), leaseMs, maxAttempts });
    } catch (error) {
      report(error, { stage: "claim" });
      return "idle";
    }
    if (claim === undefined) return "idle";
    let failure: unknown;
    let failed = false;
    const finished = new AbortController();
    const lost = new AbortController();
    const renewing = keepLease(claim, finished.signal, lost);
    try {
      const event = JSON.parse(claim.event) as E;
      const { id, orderKey, attempt, receivedAt } = claim;
      await handle(event, { id, orderKey, attempt, receivedAt, signal: lost.signal });
    } catch (error) {
      failed = true;
      failure = error;
      report(error, { stage: "handle", id: claim.id, attempt: claim.attempt });
    } finally {
      finished.abort();
      await renewing;
    }
    // Another worker holds the event now: its run counts, and this one's outcome is not recorded.
    if (lost.signal.aborted) return "lost";
    return settle(claim, failure, failed);
  }

  /**
   * Renews `claim`'s lease every `renewEveryMs` until `finished` aborts. A renewal that finds the lease
   * gone aborts `lost`; one the inbox fails to record is reported, and the next beat tries again (the
   * lease still runs meanwhile).
   */
  async function keepLease(claim: InboxClaim, finished: AbortSignal, lost: AbortController): Promise<void> {
    if (renewEveryMs === 0 || typeof inbox.renew !== "function") return;
    for (;;) {
      await sleep(renewEveryMs, finished).catch(() => undefined);
      if (finished.aborted) return;
      try {
        if (!(await inbox.renew(claim.id, claim.token, leaseMs))) {
          lost.abort(new Error(`the lease on ${claim.id} is held by another worker now`));
          return;
        }
      } catch (error) {
        report(error, { stage: "renew", id: claim.id, attempt: claim.attempt });
      }
    }
  }

  let controller: AbortController | undefined;
  let loops: Promise<void>[] = [];
  async function loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let outcome: InboxRunOutcome;
      try {
        outcome = await runOnce();
      } catch (error) {
        report(error, { stage: "claim" });
        outcome = "idle";
      }
      if (outcome === "idle" && !signal.aborted) await sleep(pollMs, signal).catch(() => undefined);
    }
  }

  return {
    start() {
      if (controller !== undefined) return;
      controller = new AbortController();
      const signal = controller.signal;
      loops = Array.from({ length: concurrency }, () => loop(signal));
    },
    async stop() {
      controller?.abort();
      controller = undefined;
      const running = loops;
      loops = [];
      await Promise.all(running);
    },
    runOnce,
  };
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
