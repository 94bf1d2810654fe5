/**
 * The behaviour every WebhookInbox keeps (ordering per key, backoff, dead-lettering, replay, lease
 * takeover), on a clock the test moves by hand: run against each store by its own test file.
 */
import { describe, expect, it } from "vitest";
import {
  createInboxWorker,
  replayDeadLetters,
  type InboxEntry,
  type InboxWorkerOptions,
  type WebhookInbox,
} from "../../../../runtime/webhooks/inbox/index.js";
import type { WebhookEvent } from "../../../../runtime/index.js";

export interface ContractInbox {
  readonly inbox: WebhookInbox;
  readonly advance: (ms: number) => void;
  readonly close?: () => Promise<void> | void;
}

const entry = (id: string, orderKey?: string, payload: unknown = {}): InboxEntry => ({
  id,
  orderKey,
  event: JSON.stringify({ type: "thing.updated", id, payload }),
  receivedAt: 1,
});

const claimOf = (inbox: WebhookInbox, token: string, leaseMs = 1000, maxAttempts = 5) => inbox.claim({ token, leaseMs, maxAttempts });

export function describeInboxContract(name: string, make: () => Promise<ContractInbox> | ContractInbox): void {
  describe(`${name} keeps the WebhookInbox contract`, () => {
    const withInbox = (run: (subject: ContractInbox) => Promise<void>) => async () => {
      const subject = await make();
      try {
        await run(subject);
      } finally {
        await subject.close?.();
      }
    };
    const worker = (
      inbox: WebhookInbox,
      handle: InboxWorkerOptions<WebhookEvent>["handle"],
      more: Partial<InboxWorkerOptions<WebhookEvent>> = {},
    ) => createInboxWorker({ inbox, handle, leaseMs: 1000, maxAttempts: 3, backoff: { baseMs: 100, factor: 2, jitter: "none" }, ...more });

    it(
      "enqueue stores an event once: a second delivery of its id is a duplicate, pending, done or dead",
      withInbox(async ({ inbox }) => {
        expect(await inbox.enqueue(entry("evt_1"))).toBe("stored");
        expect(await inbox.enqueue(entry("evt_1"))).toBe("duplicate");
        const claim = await claimOf(inbox, "t1");
        expect(claim).toMatchObject({ id: "evt_1", attempt: 1, token: "t1", receivedAt: 1 });
        expect(JSON.parse(claim!.event)).toEqual({ type: "thing.updated", id: "evt_1", payload: {} });
        expect(await inbox.complete("evt_1", "t1")).toBe(true);
        expect(await inbox.enqueue(entry("evt_1"))).toBe("duplicate");
        expect(await inbox.counts()).toEqual({ pending: 0, leased: 0, done: 1, dead: 0 });
        expect(await claimOf(inbox, "t2")).toBeUndefined();
      }),
    );

    it(
      "claim runs events of one order key one at a time and in order; other keys and keyless events go on meanwhile",
      withInbox(async ({ inbox }) => {
        for (const [id, key] of [
          ["a1", "obj_a"],
          ["b1", "obj_b"],
          ["a2", "obj_a"],
          ["n1", undefined],
          ["a3", "obj_a"],
        ] as const)
          await inbox.enqueue(entry(id, key));
        expect((await claimOf(inbox, "t1"))?.id).toBe("a1");
        expect((await claimOf(inbox, "t2"))?.id).toBe("b1");
        expect((await claimOf(inbox, "t3"))?.id).toBe("n1"); // a2 waits behind a1, which is leased
        expect(await claimOf(inbox, "t4")).toBeUndefined();
        expect(await inbox.counts()).toEqual({ pending: 2, leased: 3, done: 0, dead: 0 });
        expect(await inbox.complete("a1", "t1")).toBe(true);
        expect((await claimOf(inbox, "t5"))?.id).toBe("a2");
        expect(await claimOf(inbox, "t6")).toBeUndefined();
        expect(await inbox.complete("a2", "t5")).toBe(true);
        expect((await claimOf(inbox, "t7"))?.id).toBe("a3");
      }),
    );

    it(
      "a failed attempt keeps its key's place: the key's next event waits through the backoff",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1", "obj_a"));
        await inbox.enqueue(entry("a2", "obj_a"));
        await claimOf(inbox, "t1");
        expect(await inbox.retry("a1", "t1", 500, "Error: boom")).toBe(true);
        expect(await claimOf(inbox, "t2")).toBeUndefined();
        advance(499);
        expect(await claimOf(inbox, "t3")).toBeUndefined();
        advance(1);
        expect(await claimOf(inbox, "t4")).toMatchObject({ id: "a1", attempt: 2 });
      }),
    );

    it(
      "the worker retries with exponential backoff (100, 200 ms) and dead-letters after maxAttempts; the key's next event then runs",
      withInbox(async ({ inbox, advance }) => {
        const seen: string[] = [];
        const dead: string[] = [];
        const w = worker(
          inbox,
          (event, context) => {
            seen.push(`${event.id}#${context.attempt}`);
            if (event.id === "a1") throw new Error("still failing");
          },
          { onDeadLetter: (id) => dead.push(id) },
        );
        await inbox.enqueue(entry("a1", "obj_a"));
        await inbox.enqueue(entry("a2", "obj_a"));
        expect(await w.runOnce()).toBe("retrying");
        advance(99);
        expect(await w.runOnce()).toBe("idle");
        advance(1);
        expect(await w.runOnce()).toBe("retrying");
        advance(199);
        expect(await w.runOnce()).toBe("idle");
        advance(1);
        expect(await w.runOnce()).toBe("dead_lettered");
        expect(await w.runOnce()).toBe("done");
        expect(seen).toEqual(["a1#1", "a1#2", "a1#3", "a2#1"]);
        expect(dead).toEqual(["a1"]);
        const letters = await inbox.deadLetters();
        expect(letters).toHaveLength(1);
        expect(letters[0]).toMatchObject({ id: "a1", orderKey: "obj_a", attempts: 3, error: "Error: still failing", receivedAt: 1 });
        expect(await inbox.counts()).toEqual({ pending: 0, leased: 0, done: 1, dead: 1 });
      }),
    );

    it(
      "replay queues a dead letter again with fresh attempts, behind the events stored before it",
      withInbox(async ({ inbox }) => {
        await inbox.enqueue(entry("a1", "obj_a"));
        await claimOf(inbox, "t1");
        await inbox.deadLetter("a1", "t1", "Error: gave up");
        await inbox.enqueue(entry("a2", "obj_a"));
        expect(await replayDeadLetters(inbox, ["a1", "nope"])).toEqual({ replayed: ["a1"], notFound: ["nope"] });
        expect(await inbox.deadLetters()).toEqual([]);
        expect(await inbox.replay("a1")).toBe(false); // no longer a dead letter
        expect(await claimOf(inbox, "t2")).toMatchObject({ id: "a2", attempt: 1 });
        expect(await claimOf(inbox, "t3")).toBeUndefined(); // a1 now waits behind a2
        await inbox.complete("a2", "t2");
        expect(await claimOf(inbox, "t4")).toMatchObject({ id: "a1", attempt: 1 });
      }),
    );

    it(
      "replayDeadLetters 'all' replays every dead letter, oldest first",
      withInbox(async ({ inbox }) => {
        for (const id of ["x1", "x2", "x3"]) {
          await inbox.enqueue(entry(id));
          await claimOf(inbox, `t-${id}`);
          await inbox.deadLetter(id, `t-${id}`, "Error: no");
        }
        expect((await inbox.deadLetters()).map((d) => d.id)).toEqual(["x1", "x2", "x3"]);
        expect(await replayDeadLetters(inbox, "all")).toEqual({ replayed: ["x1", "x2", "x3"], notFound: [] });
        expect(await inbox.counts()).toEqual({ pending: 3, leased: 0, done: 0, dead: 0 });
      }),
    );

    it(
      "an expired lease is taken over by another worker; the first holder can then neither complete nor fail it",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1", "obj_a"));
        await inbox.enqueue(entry("a2", "obj_a"));
        expect(await claimOf(inbox, "crashed")).toMatchObject({ id: "a1", attempt: 1 });
        advance(999);
        expect(await claimOf(inbox, "t2")).toBeUndefined(); // the lease lives, and a2 waits behind a1
        advance(1);
        expect(await claimOf(inbox, "t3")).toMatchObject({ id: "a1", attempt: 2, token: "t3" });
        expect(await inbox.complete("a1", "crashed")).toBe(false);
        expect(await inbox.retry("a1", "crashed", 0, "late")).toBe(false);
        expect(await inbox.deadLetter("a1", "crashed", "late")).toBe(false);
        expect(await inbox.complete("a1", "t3")).toBe(true);
        expect((await claimOf(inbox, "t4"))?.id).toBe("a2");
      }),
    );

    it(
      "a lease that expires on the last attempt sends the event to the dead-letter list instead of running it again",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1", "obj_a"));
        await inbox.enqueue(entry("a2", "obj_a"));
        await inbox.claim({ token: "c1", leaseMs: 1000, maxAttempts: 2 });
        advance(1000);
        expect(await inbox.claim({ token: "c2", leaseMs: 1000, maxAttempts: 2 })).toMatchObject({ id: "a1", attempt: 2 });
        advance(1000);
        expect(await inbox.claim({ token: "c3", leaseMs: 1000, maxAttempts: 2 })).toMatchObject({ id: "a2", attempt: 1 });
        const [letter] = await inbox.deadLetters();
        expect(letter).toMatchObject({ id: "a1", attempts: 2 });
        expect(letter!.error).toMatch(/lease expired on the last attempt/);
      }),
    );

    it(
      "a worker whose lease was taken over reports its outcome as lost and the taker's run counts",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1"));
        const slow = worker(inbox, async () => {
          advance(1000); // the handler outlives its lease, and another worker takes the event over meanwhile
          expect(await claimOf(inbox, "taker")).toMatchObject({ id: "a1", attempt: 2 });
        });
        expect(await slow.runOnce()).toBe("lost");
        expect(await inbox.complete("a1", "taker")).toBe(true);
      }),
    );

    it(
      "renew extends the lease its token holds, from now; a token that no longer holds the event renews nothing",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1"));
        await claimOf(inbox, "t1");
        advance(900);
        expect(await inbox.renew!("a1", "t1", 1000)).toBe(true);
        advance(900); // 1,800 ms after the claim: expired without the renewal, alive with it
        expect(await claimOf(inbox, "t2")).toBeUndefined();
        expect(await inbox.renew!("a1", "other", 1000)).toBe(false);
        advance(100);
        expect(await claimOf(inbox, "t3")).toMatchObject({ id: "a1", attempt: 2 });
        expect(await inbox.renew!("a1", "t1", 1000)).toBe(false);
        expect(await inbox.renew!("nope", "t3", 1000)).toBe(false);
        expect(await inbox.complete("a1", "t3")).toBe(true);
        expect(await inbox.renew!("a1", "t3", 1000)).toBe(false);
      }),
    );

    it(
      "a worker renews its lease while the handler runs: a run three leases long is not taken over, and is done",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1"));
        const beats = new Beats(inbox);
        const w = worker(
          beats.inbox,
          async (_event, context) => {
            for (let i = 0; i < 6; i++) {
              advance(500); // the store's clock: 3,000 ms in all against a 1,000 ms lease
              await beats.beat(); // the worker's renewal timer fires
              expect(await claimOf(inbox, `taker${i}`)).toBeUndefined();
            }
            expect(context.signal.aborted).toBe(false);
          },
          { renewEveryMs: 500, sleep: beats.sleep },
        );
        expect(await w.runOnce()).toBe("done");
        expect(beats.renewals).toEqual([true, true, true, true, true, true]);
        expect(await inbox.counts()).toEqual({ pending: 0, leased: 0, done: 1, dead: 0 });
      }),
    );

    it(
      "a worker whose renewal finds the lease taken over aborts the handler's signal and records nothing",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1"));
        const beats = new Beats(inbox);
        let reason: unknown;
        const w = worker(
          beats.inbox,
          async (_event, context) => {
            advance(1000); // the worker stalled (no renewal) past its lease; another worker takes the event over
            expect(await claimOf(inbox, "taker")).toMatchObject({ id: "a1", attempt: 2 });
            await beats.beat();
            expect(context.signal.aborted).toBe(true);
            reason = context.signal.reason;
          },
          { renewEveryMs: 300, sleep: beats.sleep },
        );
        expect(await w.runOnce()).toBe("lost");
        expect(beats.renewals).toEqual([false]);
        expect(String(reason)).toMatch(/held by another worker/);
        expect(await inbox.counts()).toEqual({ pending: 0, leased: 1, done: 0, dead: 0 });
        expect(await inbox.complete("a1", "taker")).toBe(true);
      }),
    );

    it(
      "renewEveryMs 0 never renews: the run outlives its lease and is lost to the taker",
      withInbox(async ({ inbox, advance }) => {
        await inbox.enqueue(entry("a1"));
        const beats = new Beats(inbox);
        const w = worker(
          beats.inbox,
          async () => {
            advance(1000);
            expect(await claimOf(inbox, "taker")).toMatchObject({ id: "a1", attempt: 2 });
          },
          { renewEveryMs: 0, sleep: beats.sleep },
        );
        expect(await w.runOnce()).toBe("lost");
        expect(beats.renewals).toEqual([]);
      }),
    );

    it(
      "several runs at once never run two events of one key together, and run each key's events in order",
      withInbox(async ({ inbox }) => {
        const keys = ["k0", "k1", "k2"];
        for (let i = 0; i < 30; i++) await inbox.enqueue(entry(`e${i}`, keys[i % 3], { key: keys[i % 3], n: i }));
        const running = new Set<string>();
        const order: Record<string, number[]> = { k0: [], k1: [], k2: [] };
        let overlaps = 0;
        const w = worker(inbox, async (event) => {
          const { key, n } = event.payload as { key: string; n: number };
          if (running.has(key)) overlaps++;
          running.add(key);
          await new Promise((resolve) => setImmediate(resolve));
          order[key]!.push(n);
          running.delete(key);
        });
        for (let round = 0; round < 20; round++) await Promise.all([w.runOnce(), w.runOnce(), w.runOnce(), w.runOnce()]);
        expect(overlaps).toBe(0);
        for (const [key, ns] of Object.entries(order)) {
          expect(ns).toHaveLength(10);
          expect(ns, key).toEqual([...ns].sort((a, b) => a - b));
        }
        expect(await inbox.counts()).toEqual({ pending: 0, leased: 0, done: 30, dead: 0 });
      }),
    );
  });
}

/**
 * The worker's renewal timer, fired by the test (`beat()`), over an inbox that records what each
 * renewal answered.
 */
class Beats {
  readonly renewals: boolean[] = [];
  readonly inbox: WebhookInbox;
  #waiting: (() => void)[] = [];
  #renewed: (() => void) | undefined;

  constructor(inner: WebhookInbox) {
    const renew = async (id: string, token: string, leaseMs: number): Promise<boolean> => {
      const renewed = await inner.renew!(id, token, leaseMs);
      this.renewals.push(renewed);
      this.#renewed?.();
      return renewed;
    };
    this.inbox = {
      enqueue: (e) => inner.enqueue(e),
      claim: (o) => inner.claim(o),
      complete: (id, token) => inner.complete(id, token),
      retry: (id, token, delayMs, error) => inner.retry(id, token, delayMs, error),
      deadLetter: (id, token, error) => inner.deadLetter(id, token, error),
      deadLetters: () => inner.deadLetters(),
      replay: (id) => inner.replay(id),
      counts: () => inner.counts(),
      renew,
    };
  }

  readonly sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      signal.addEventListener("abort", () => resolve(), { once: true });
    });

  /** Fires the waiting renewal timer and resolves once its renewal has been answered. */
  async beat(): Promise<void> {
    for (let i = 0; i < 100 && this.#waiting.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    const fire = this.#waiting.shift();
    if (fire === undefined) throw new Error("no renewal timer is waiting");
    const renewed = new Promise<void>((resolve) => (this.#renewed = resolve));
    fire();
    await renewed;
  }
}
