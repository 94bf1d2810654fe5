/**
 * The durable webhook inbox: a verified delivery is stored and acknowledged at once, and workers
 * handle the stored events later, with retries, exponential backoff, per-key order, leases and a
 * dead-letter list. This file holds the contract every inbox store keeps (SQLite in
 * `@switchboard/runtime/webhooks/inbox/sqlite`, Redis in `…/inbox/redis`) and the replay calls.
 */
import type { Awaitable } from "../dedup-store.js";

/** One verified event as the receiving endpoint stores it. */
export interface InboxEntry {
  /** The dedup key (the provider's event id): a second delivery of it is a duplicate. */
  readonly id: string;
  /** Events with the same order key run one at a time, in the order they were stored. `undefined`: no order. */
  readonly orderKey: string | undefined;
  /** The event, serialized as JSON (`{type, id, payload, apiVersion?}`). */
  readonly event: string;
  /** When it was received, epoch ms. */
  readonly receivedAt: number;
}

/** An event a worker holds under a lease until it reports the outcome. */
export interface InboxClaim extends InboxEntry {
  /** The lease's token: only its holder can complete, retry or dead-letter the event. */
  readonly token: string;
  /** 1 for the first attempt; counts attempts whose worker crashed too. */
  readonly attempt: number;
}

/** An event that kept failing (or ran out of attempts) and waits for a replay. */
export interface DeadLetter extends InboxEntry {
  readonly attempts: number;
  /** When it was dead-lettered, epoch ms. */
  readonly failedAt: number;
  /** The last failure: the handler error's name and message, or why the lease ran out. */
  readonly error: string;
}

/** How many events are in each state. */
export interface InboxCounts {
  /** Stored, waiting for a worker (due now or after a backoff, or behind an earlier event of their key). */
  readonly pending: number;
  /** Held by a worker under a lease (a live one, or one whose worker died and that will be taken over). */
  readonly leased: number;
  /** Handled, kept to turn away redeliveries until the store's done TTL ends. */
  readonly done: number;
  readonly dead: number;
}

export interface ClaimOptions {
  /** Unique to this attempt. */
  readonly token: string;
  /** How long the claim holds the event; after that another worker takes it over. */
  readonly leaseMs: number;
  /**
   * An event whose lease expired on its `maxAttempts`th attempt (its worker crashed or stalled each
   * time) goes to the dead-letter list instead of running again.
   */
  readonly maxAttempts: number;
}

/**
 * What every inbox store does, each method atomic across every process sharing the store. Times come
 * from the store's own clock (injected, or the database's), never from the caller.
 */
export interface WebhookInbox {
  /**
   * Stores `entry` durably before it resolves: `stored`, or `duplicate` when an event with this id is
   * already in the inbox (pending, leased, done or dead). Rejects when it could not store it: the
   * delivery must then not be acknowledged.
   */
  enqueue(entry: InboxEntry): Awaitable<"stored" | "duplicate">;
  /**
   * Leases the oldest event that may run now: pending and due (or leased under an expired lease), and
   * not behind an earlier pending or leased event of the same order key. `undefined` when there is none.
   */
  claim(options: ClaimOptions): Awaitable<InboxClaim | undefined>;
  /** Marks the event done; `false` (nothing changed) unless `token` still holds it. */
  complete(id: string, token: string): Awaitable<boolean>;
  /** Releases the event to run again `delayMs` from now, keeping its place in its key's order; `false` unless `token` holds it. */
  retry(id: string, token: string, delayMs: number, error: string): Awaitable<boolean>;
  /**
   * Extends the lease `token` holds on the event to `leaseMs` from now (the store's clock); `false`
   * (nothing changed) unless `token` still holds it. Workers call it while a handler runs, so a run
   * longer than one lease is not taken over. Optional: with a store that lacks it, a run that outlives
   * its lease can overlap the takeover's run.
   */
  renew?(id: string, token: string, leaseMs: number): Awaitable<boolean>;
  /** Moves the event to the dead-letter list (the next event of its key may run); `false` unless `token` holds it. */
  deadLetter(id: string, token: string, error: string): Awaitable<boolean>;
  /** The dead-letter list, oldest first. */
  deadLetters(): Awaitable<DeadLetter[]>;
  /**
   * Moves a dead letter back to the queue as a new event with fresh attempts, behind every event
   * stored so far (also behind later events of its key). `false` when `id` is not a dead letter.
   */
  replay(id: string): Awaitable<boolean>;
  counts(): Awaitable<InboxCounts>;
}

/** What `replayDeadLetters` did. */
export interface ReplayResult {
  /** Ids moved back to the queue, in the order they were queued. */
  readonly replayed: string[];
  /** Ids asked for that were not dead letters (unknown, or replayed meanwhile). */
  readonly notFound: string[];
}

/** The dead-letter list of `inbox`, oldest first. */
export async function listDeadLetters(inbox: WebhookInbox): Promise<DeadLetter[]> {
  return inbox.deadLetters();
}

/**
 * Queues dead letters again: the ones named by `ids`, or every one with `"all"`. Each replayed event
 * starts with fresh attempts and runs after everything stored before the replay.
 */
export async function replayDeadLetters(inbox: WebhookInbox, ids: readonly string[] | "all"): Promise<ReplayResult> {
  const wanted = ids === "all" ? (await inbox.deadLetters()).map((d) => d.id) : ids;
  const replayed: string[] = [];
  const notFound: string[] = [];
  for (const id of wanted) ((await inbox.replay(id)) ? replayed : notFound).push(id);
  return { replayed, notFound };
}

/** Exponential backoff between attempts. */
export interface InboxBackoff {
  /** The delay after the first failed attempt, in ms. @default 1000 */
  readonly baseMs?: number;
  /** The longest delay, in ms. @default 900000 (15 minutes) */
  readonly capMs?: number;
  /** Each further failure multiplies the delay by this. @default 2 */
  readonly factor?: number;
  /** `full`: a uniformly random delay between 0 and the computed one (spreads retries out); `none`: the computed one. @default "full" */
  readonly jitter?: "full" | "none";
}

/** The delay after attempt `attempt` (1-based) failed: min(cap, base * factor^(attempt-1)), jittered. */
export function backoffDelay(backoff: InboxBackoff, attempt: number, random: () => number = Math.random): number {
  const base = backoff.baseMs ?? 1000;
  const cap = backoff.capMs ?? 900_000;
  const factor = backoff.factor ?? 2;
  const delay = Math.min(cap, base * factor ** Math.max(0, attempt - 1));
  return Math.round(backoff.jitter === "none" ? delay : delay * Math.min(1, Math.max(0, random())));
}

/** A failure as the dead-letter list keeps it: name and message, bounded. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
