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
