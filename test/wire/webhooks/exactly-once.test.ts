/**
 * Issue 6, "Done means": 50 concurrent duplicate deliveries run the handler once, with the memory
 * store and with the SQLite store, over real HTTP on loopback; and with two processes sharing one
 * SQLite file. The first handler run is held open until every other delivery has been answered (or,
 * if the runner were wrong, until the extra runs have started), so the deliveries truly overlap
 * without any sleep or timing assumption.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWebhookHandler, MemoryDedupStore, type DedupStore } from "../../../runtime/index.js";
import { createNodeWebhookListener } from "../../../runtime/webhooks/adapters/node-http.js";
import { SqliteDedupStore } from "../../../runtime/webhooks/sqlite-dedup-store.js";
import { startDedupWorker } from "../../helpers/dedup-worker.js";
import { postSigned } from "../../helpers/webhook-adapter-cases.js";
import { createTestVerifier, type TestEvent } from "../../helpers/test-webhook-signer.js";

const DUPLICATES = 50;

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "switchboard-once-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const stores: { name: string; make: () => { store: DedupStore; close: () => void } }[] = [
  { name: "MemoryDedupStore", make: () => ({ store: new MemoryDedupStore(), close: () => {} }) },
  {
    name: "SqliteDedupStore",
    make: () => {
      const store = new SqliteDedupStore({ path: join(directory, "once.db") });
      return { store, close: () => store.close() };
    },
  },
];

describe.each(stores)("$name: 50 concurrent duplicate deliveries over loopback HTTP", ({ make }) => {
  it("run the handler exactly once; the others are answered 409 in_progress, and a later delivery 200 duplicate", async () => {
    const { store, close } = make();
    let runs = 0;
    let answered = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const check = () => {
      if (runs + answered >= DUPLICATES) open();
    };
    const handler = createWebhookHandler<TestEvent>({
      verify: createTestVerifier(),
      dedup: store,
      handle: async () => {
        runs++;
        check();
        await gate;
      },
    });
    const server = createServer(createNodeWebhookListener(handler));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const body = JSON.stringify({ id: "evt_concurrent", type: "invoice.paid" });
      const statuses = await Promise.all(
        Array.from({ length: DUPLICATES }, async () => {
          const response = await postSigned(url, body);
          await response.arrayBuffer();
          if (response.status !== 200) {
            answered++;
            check();
          }
          return response.status;
        }),
      );
      expect(runs).toBe(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(DUPLICATES - 1);
      const later = await postSigned(url, body);
      expect(await later.json()).toEqual({ received: true, duplicate: true });
      expect(runs).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      close();
    }
  });
});

describe("SqliteDedupStore shared by two processes", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });

  const startWorker = async (env: Record<string, string>) => (await startDedupWorker(env, children)).url;

  it("50 concurrent duplicates split between two worker processes run the handler exactly once", async () => {
    const env = {
      DB_PATH: join(directory, "shared.db"),
      LOG_PATH: join(directory, "shared.log"),
      GATE_PATH: join(directory, "shared.gate"),
    };
    const urls = await Promise.all([startWorker(env), startWorker(env)]);
    const starts = () =>
      existsSync(env.LOG_PATH)
        ? readFileSync(env.LOG_PATH, "utf8")
            .split("\n")
            .filter((line) => line.startsWith("start")).length
        : 0;
    let answered = 0;
    const check = () => {
      if (answered + starts() >= DUPLICATES) writeFileSync(env.GATE_PATH, "");
    };
    const poll = setInterval(check, 10);
    try {
      const body = JSON.stringify({ id: "evt_shared", type: "invoice.paid", gate: true });
      const statuses = await Promise.all(
        Array.from({ length: DUPLICATES }, async (_, index) => {
          const response = await fetch(urls[index % 2]!, { method: "POST", headers: { "content-type": "application/json" }, body });
          await response.arrayBuffer();
          if (response.status !== 200) answered++;
          return response.status;
        }),
      );
      expect(starts()).toBe(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(DUPLICATES - 1);
    } finally {
      clearInterval(poll);
    }
  });
});
