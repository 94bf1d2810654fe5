import { describe, expect, it } from "vitest";
import { DedupStoreFullError, isConfigurationError, isDedupStoreFullError, MemoryDedupStore } from "../../../runtime/index.js";
import { describeDedupStoreContract } from "./dedup-store-contract.js";

function clock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describeDedupStoreContract("MemoryDedupStore", (doneTtlMs) => {
  const { now, advance } = clock();
  return { store: new MemoryDedupStore({ doneTtlMs, now }), advance };
});

describe("MemoryDedupStore stays bounded", () => {
  it("evicts the done record completed longest ago when full", () => {
    const store = new MemoryDedupStore({ maxEntries: 3 });
    for (const id of ["a", "b", "c"]) {
      store.begin(id, 1000, "t");
      store.complete(id, "t");
    }
    store.begin("a", 1000, "t"); // done: a read, not a write, so it does not refresh a
    expect(store.begin("d", 1000, "t")).toBe("started");
    expect(store.size).toBe(3);
    expect(store.begin("a", 1000, "t")).toBe("started"); // a was evicted, so it runs again: the cost of the bound
    expect(store.begin("c", 1000, "t")).toBe("done");
  });

  it("evicts expired records before done ones", () => {
    const { now, advance } = clock();
    const store = new MemoryDedupStore({ maxEntries: 2, now });
    store.begin("done", 1000, "t");
    store.complete("done", "t");
    store.begin("crashed", 1000, "t");
    advance(1000);
    expect(store.begin("new", 1000, "t")).toBe("started");
    expect(store.begin("done", 1000, "t")).toBe("done");
  });

  it("never evicts a live lease: begin throws DedupStoreFullError instead", () => {
    const store = new MemoryDedupStore({ maxEntries: 2 });
    store.begin("a", 60_000, "t");
    store.begin("b", 60_000, "t");
    let thrown: unknown;
    try {
      store.begin("c", 60_000, "t");
    } catch (error) {
      thrown = error;
    }
    expect(isDedupStoreFullError(thrown)).toBe(true);
    expect((thrown as DedupStoreFullError).code).toBe("dedup_store_full");
    expect((thrown as Error).message).toBe("the dedup store holds 2 events in progress and no done or expired record to evict");
    expect(store.begin("a", 60_000, "u")).toBe("in_progress");
  });

  it("holds at most maxEntries records through many distinct events", () => {
    const store = new MemoryDedupStore({ maxEntries: 100 });
    for (let index = 0; index < 1000; index++) {
      store.begin(`evt_${index}`, 1000, "t");
      store.complete(`evt_${index}`, "t");
      expect(store.size).toBeLessThanOrEqual(100);
    }
    expect(store.begin("evt_999", 1000, "t")).toBe("done");
  });

  it.each([{ maxEntries: 0 }, { doneTtlMs: -1 }, { maxEntries: Number.NaN }])("rejects %o with a ConfigurationError", (options) => {
    expect(() => new MemoryDedupStore(options)).toThrow(/must be a positive integer/);
    try {
      new MemoryDedupStore(options);
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
    }
  });
});
