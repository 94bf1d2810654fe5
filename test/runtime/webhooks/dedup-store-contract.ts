/** The behaviour every DedupStore keeps, run against each store by its own test file. */
import { describe, expect, it } from "vitest";
import type { DedupStore } from "../../../runtime/index.js";

export interface ContractStore {
  readonly store: DedupStore;
  readonly advance: (ms: number) => void;
  readonly close?: () => void;
}

/** `make(doneTtlMs)` returns a fresh, empty store on a clock the test moves by hand. */
export function describeDedupStoreContract(name: string, make: (doneTtlMs: number) => ContractStore): void {
  describe(`${name} keeps the DedupStore contract`, () => {
    const withStore = (run: (subject: ContractStore) => Promise<void>) => async () => {
      const subject = make(10_000);
      try {
        await run(subject);
      } finally {
        subject.close?.();
      }
    };

    it(
      "begin starts a new id, reports in_progress while the lease lives and done after complete",
      withStore(async ({ store }) => {
        expect(await store.begin("evt_1", 1000, "a")).toBe("started");
        expect(await store.begin("evt_1", 1000, "b")).toBe("in_progress");
        await store.complete("evt_1", "a");
        expect(await store.begin("evt_1", 1000, "c")).toBe("done");
      }),
    );

    it(
      "release by the lease owner lets the next begin start",
      withStore(async ({ store }) => {
        await store.begin("evt_1", 1000, "a");
        await store.release("evt_1", "a");
        expect(await store.begin("evt_1", 1000, "b")).toBe("started");
      }),
    );

    it(
      "release with another token frees nothing, and release after complete forgets nothing",
      withStore(async ({ store }) => {
        await store.begin("evt_1", 1000, "a");
        await store.release("evt_1", "intruder");
        expect(await store.begin("evt_1", 1000, "b")).toBe("in_progress");
        await store.complete("evt_1", "a");
        await store.release("evt_1", "a");
        expect(await store.begin("evt_1", 1000, "c")).toBe("done");
      }),
    );

    it(
      "an expired lease is taken over, and the old owner's late release does not free the new lease",
      withStore(async ({ store, advance }) => {
        await store.begin("evt_1", 1000, "a");
        advance(999);
        expect(await store.begin("evt_1", 1000, "b")).toBe("in_progress");
        advance(1);
        expect(await store.begin("evt_1", 1000, "b")).toBe("started");
        await store.release("evt_1", "a");
        expect(await store.begin("evt_1", 1000, "c")).toBe("in_progress");
      }),
    );

    it(
      "a late complete by the old owner still marks the event done",
      withStore(async ({ store, advance }) => {
        await store.begin("evt_1", 1000, "a");
        advance(1000);
        expect(await store.begin("evt_1", 1000, "b")).toBe("started");
        await store.complete("evt_1", "a");
        expect(await store.begin("evt_1", 1000, "c")).toBe("done");
      }),
    );

    it(
      "a done record is forgotten once its TTL has passed",
      withStore(async ({ store, advance }) => {
        await store.begin("evt_1", 1000, "a");
        await store.complete("evt_1", "a");
        advance(9_999);
        expect(await store.begin("evt_1", 1000, "b")).toBe("done");
        advance(1);
        expect(await store.begin("evt_1", 1000, "b")).toBe("started");
      }),
    );

    it(
      "ids are independent",
      withStore(async ({ store }) => {
        expect(await store.begin("evt_1", 1000, "a")).toBe("started");
        expect(await store.begin("evt_2", 1000, "a")).toBe("started");
        await store.complete("evt_2", "a");
        expect(await store.begin("evt_1", 1000, "b")).toBe("in_progress");
      }),
    );
  });
}
