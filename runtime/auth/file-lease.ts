/**
 * A lease between the processes of one machine: a lock file, written whole beside it and linked into
 * place (link fails when the lock exists, so one process creates it and nobody reads it half written),
 * holding its owner's nonce, its fence (a number larger than every earlier holder's) and when it
 * expires. A lock past its expiry (its holder died or stalled) is taken over: renamed away atomically
 * (only one taker wins the rename), checked to be the expired one, removed. Fences come from the clock
 * and the previous holder's fence, so a later holder always has a larger one on this machine.
 */
import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, unlink } from "node:fs/promises";

interface LockContent {
  readonly nonce: string;
  readonly fence: number;
  readonly expiresAt: number;
}

export interface FileLease {
  readonly fence: number;
  /** Whether this lease is still the lock's (not expired, not taken over). */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

async function readLock(path: string): Promise<LockContent | undefined> {
  try {
    const content = JSON.parse(await readFile(path, "utf8")) as Partial<LockContent>;
    if (typeof content.nonce === "string" && typeof content.fence === "number" && typeof content.expiresAt === "number")
      return content as LockContent;
    return { nonce: "", fence: 0, expiresAt: 0 }; // torn or foreign: treat as expired
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    if (error instanceof SyntaxError) return { nonce: "", fence: 0, expiresAt: 0 };
    throw error;
  }
}

/** Tries once to take the lease at `path`; undefined when a live lease is held by someone else. */
async function tryAcquire(path: string, leaseMs: number, now: () => number, lastFence: number): Promise<FileLease | undefined> {
  const nonce = randomBytes(12).toString("hex");
  const fence = Math.max(now(), lastFence + 1);
  const content: LockContent = { nonce, fence, expiresAt: now() + leaseMs };
  // Written whole beside the lock, then linked into place: the lock never exists empty or half
  // written (a lock created with O_EXCL and then written could be read empty by another process,
  // taken for a torn expired one and taken over while its holder was still inside).
  const draft = `${path}.${nonce}.new`;
  const file = await open(draft, "wx", 0o600);
  try {
    try {
      await file.writeFile(JSON.stringify(content));
    } finally {
      await file.close();
    }
    await link(draft, path);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    return undefined;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  return {
    fence,
    held: async () => {
      const current = await readLock(path);
      return current?.nonce === nonce && current.expiresAt > now();
    },
    release: async () => {
      const current = await readLock(path);
      if (current?.nonce === nonce) await unlink(path).catch(() => undefined);
    },
  };
}

/** Removes the lock at `path` if it is still the expired `seen` one; restores it if another process replaced it meanwhile. */
async function takeOver(path: string, seen: LockContent): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString("hex")}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return; // another process took it over first
    throw error;
  }
  const moved = await readLock(aside);
  if (moved && moved.nonce !== seen.nonce) await link(aside, path).catch(() => undefined); // a live lock: put it back unless replaced
  await unlink(aside).catch(() => undefined);
}

export interface AcquireOptions {
  readonly leaseMs: number;
  /** Give up (undefined) after waiting this long. */
  readonly waitMs: number;
  readonly now: () => number;
}

/** Waits for the lease at `path`, polling every few milliseconds; undefined when `waitMs` passed. */
export async function acquireFileLease(path: string, options: AcquireOptions): Promise<FileLease | undefined> {
  const giveUpAt = options.now() + options.waitMs;
  let lastFence = 0;
  for (let delay = 2; ; delay = Math.min(delay * 2, 25)) {
    const current = await readLock(path);
    if (current) lastFence = Math.max(lastFence, current.fence);
    if (current && current.expiresAt <= options.now()) await takeOver(path, current);
    const lease =
      current && current.expiresAt > options.now() ? undefined : await tryAcquire(path, options.leaseMs, options.now, lastFence);
    if (lease) return lease;
    if (options.now() >= giveUpAt) return undefined;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
