/**
 * The file lease behind EncryptedFileTokenStore.refreshExclusive: one holder at a time among
 * contenders that share only the lock file, and a lock that is never seen empty or half written (a
 * contender that read an empty lock took it for a torn, expired one and took it over while its
 * holder was still inside: two processes refreshed the same grant and one got invalid_grant).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireFileLease } from "../../../runtime/auth/file-lease.js";

let dir: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchboard-lease-"));
  lock = join(dir, "tokens.json.lock");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { leaseMs: 30_000, waitMs: 30_000, now: Date.now };

describe("acquireFileLease", () => {
  it("contenders sharing only the lock file hold it one at a time, and a reader never finds it empty or half written", async () => {
    let inside = 0;
    let overlaps = 0;
    let done = false;
    const unreadable: string[] = [];
    const reader = (async () => {
      while (!done) {
        const text = await readFile(lock, "utf8").catch(() => undefined);
        if (text !== undefined) {
          try {
            JSON.parse(text);
          } catch {
            unreadable.push(text);
          }
        }
      }
    })();
    const contender = async () => {
      for (let round = 0; round < 200; round++) {
        const lease = await acquireFileLease(lock, options);
        expect(lease).toBeDefined();
        if (++inside > 1) overlaps++;
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
        await lease!.release();
      }
    };
    await Promise.all([contender(), contender(), contender(), contender()]);
    done = true;
    await reader;
    expect(unreadable).toEqual([]);
    expect(overlaps).toBe(0);
  });

  it("a later holder gets a larger fence, and a released lease is no longer held", async () => {
    const first = await acquireFileLease(lock, options);
    expect(await first!.held()).toBe(true);
    await first!.release();
    expect(await first!.held()).toBe(false);
    const second = await acquireFileLease(lock, options);
    expect(second!.fence).toBeGreaterThan(first!.fence);
    await second!.release();
  });

  it("takes over a lock whose holder stalled past its lease; the stalled holder no longer holds it", async () => {
    let now = 1_000;
    const clock = { leaseMs: 100, waitMs: 1_000, now: () => now };
    const stalled = await acquireFileLease(lock, clock);
    now += 101;
    const next = await acquireFileLease(lock, clock);
    expect(next).toBeDefined();
    expect(await stalled!.held()).toBe(false);
    expect(await next!.held()).toBe(true);
    await stalled!.release(); // not its lock any more: leaves the new holder's in place
    expect(await next!.held()).toBe(true);
  });
});
