/**
 * A durable TokenStore: one file, encrypted at rest with AES-256-GCM, written atomically (temp file,
 * fsync, rename, fsync of the directory) so a crash leaves the old file or the new one, never a torn one.
 * Key rotation: the first key encrypts, every key listed may decrypt; the next write re-encrypts with the
 * first. A truncated, tampered or foreign file is a TokenStoreError, never garbage tokens. Writes
 * are serialized within the process by a queue and between processes by the file's lease
 * (`<path>.lock`, file-lease.ts), which refreshes hold for their whole renewal.
 *
 * File format (JSON): { "v": 1, "kid": <8 hex chars of SHA-256(key)>, "iv": b64, "tag": b64, "data": b64 }
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigurationError } from "../errors/errors.js";
import { TokenStoreError } from "./errors.js";
import { acquireFileLease, type FileLease } from "./file-lease.js";
import type { RefreshCoordinator, StoredTokens, TokenStore } from "./token-store.js";

/** Environment variable with the current key (base64 of 32 bytes). */
export const TOKEN_KEY_ENV = "SWITCHBOARD_TOKEN_KEY";
/** Environment variable with former keys, comma-separated, still accepted for reading. */
export const PREVIOUS_TOKEN_KEYS_ENV = "SWITCHBOARD_TOKEN_KEY_PREVIOUS";

export interface EncryptedFileTokenStoreOptions {
  readonly path: string;
  /**
   * Keys (32 bytes, or base64 of 32 bytes): the first encrypts, all decrypt.
   * @default SWITCHBOARD_TOKEN_KEY, then the keys in SWITCHBOARD_TOKEN_KEY_PREVIOUS
   */
  readonly keys?: readonly (string | Uint8Array)[];
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Refreshes and writes of processes sharing the file are coordinated through `<path>.lock`: a
   * holder keeps the lease at most this long (longer than a token request may take).
   * @default 30000
   */
  readonly refreshLeaseMs?: number;
  /** A refresh or write waits at most this long for the lease, then fails with TokenStoreError. @default 60000 */
  readonly refreshWaitMs?: number;
  /** Epoch ms, for the lease. @default Date.now */
  readonly now?: () => number;
}

/** Where the file keeps, per grant, the fence of the lease that last wrote it (never a grant key a caller uses). */
const FENCES = "\u0000fences";

interface Key {
  readonly id: string;
  readonly bytes: Buffer;
}

const AAD = Buffer.from("switchboard-token-store-v1");

function toKey(value: string | Uint8Array, what: string): Key {
  const bytes = typeof value === "string" ? Buffer.from(value.trim(), "base64") : Buffer.from(value);
  if (bytes.length !== 32) throw new ConfigurationError(`${what} must be 32 bytes (base64 of 32 random bytes)`);
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

/** Generates a new key, base64: put it in SWITCHBOARD_TOKEN_KEY. */
export function generateTokenKey(): string {
  return randomBytes(32).toString("base64");
}

export class EncryptedFileTokenStore implements TokenStore, RefreshCoordinator {
  readonly #path: string;
  readonly #keys: readonly Key[];
  readonly #leaseMs: number;
  readonly #waitMs: number;
  readonly #now: () => number;
  /** Writes (read-modify-write of the whole file) run one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: EncryptedFileTokenStoreOptions) {
    if (typeof options.path !== "string" || options.path === "") throw new ConfigurationError("path is missing or empty");
    this.#path = options.path;
    const env = options.env ?? process.env;
    let keys: Key[];
    if (options.keys) {
      keys = options.keys.map((key, i) => toKey(key, `keys[${i}]`));
    } else {
      const current = env[TOKEN_KEY_ENV];
      if (!current) throw new ConfigurationError(`${TOKEN_KEY_ENV} is not set: the token store needs an encryption key`);
      const previous = (env[PREVIOUS_TOKEN_KEYS_ENV] ?? "").split(",").filter((k) => k.trim() !== "");
      keys = [toKey(current, TOKEN_KEY_ENV), ...previous.map((k, i) => toKey(k, `${PREVIOUS_TOKEN_KEYS_ENV}[${i}]`))];
    }
    if (keys.length === 0) throw new ConfigurationError("keys is empty");
    this.#keys = keys;
    this.#leaseMs = options.refreshLeaseMs ?? 30_000;
    this.#waitMs = options.refreshWaitMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Coordinates a refresh with every process sharing this file (RefreshCoordinator): takes the lease
   * in `<path>.lock`, reads the grant, runs `refresh`, and writes its tokens only if the lease is still
   * held and no later holder wrote the grant. The check and the write are one step for this process;
   * between processes they are as close as a file allows (no token request sits between them).
   */
  async refreshExclusive(
    key: string,
    refresh: (stored: StoredTokens | undefined) => Promise<StoredTokens>,
  ): Promise<StoredTokens | undefined> {
    const lease = await this.#lease("refresh");
    try {
      const stored = await this.get(key);
      const next = await refresh(stored);
      if (next === stored) return stored;
      let written = false;
      await this.#update(async (all) => {
        const fences = (all[FENCES] ?? {}) as unknown as Record<string, number>;
        if ((fences[key] ?? 0) > lease.fence || !(await lease.held())) return false;
        all[key] = { ...next };
        all[FENCES] = { ...fences, [key]: lease.fence } as unknown as StoredTokens;
        written = true;
        return true;
      });
      return written ? next : await this.get(key);
    } finally {
      await lease.release();
    }
  }

  async get(key: string): Promise<StoredTokens | undefined> {
    await this.#queue.catch(() => undefined);
    const all = await this.#read();
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  set(key: string, tokens: StoredTokens): Promise<void> {
    return this.#leasedUpdate((all) => void (all[key] = { ...tokens }));
  }

  delete(key: string): Promise<void> {
    return this.#leasedUpdate((all) => void delete all[key]);
  }

  /** Re-encrypts the file with the current key (after a key rotation). */
  rewrite(): Promise<void> {
    return this.#leasedUpdate(() => undefined);
  }

  /**
   * A write outside a refresh, under the file's lease: every write rewrites the whole file, so two
   * processes writing different grants at once would otherwise lose one of them. Taken before the
   * write joins this process's queue, so that it never waits behind a refresh of this process that
   * holds the lease.
   */
  async #leasedUpdate(change: (all: Record<string, StoredTokens>) => void): Promise<void> {
    const lease = await this.#lease("write");
    try {
      await this.#update(change);
    } finally {
      await lease.release();
    }
  }

  /** The file's lease (`<path>.lock`), waited for at most `refreshWaitMs`; TokenStoreError after that. */
  async #lease(purpose: "refresh" | "write"): Promise<FileLease> {
    const lease = await acquireFileLease(`${this.#path}.lock`, { leaseMs: this.#leaseMs, waitMs: this.#waitMs, now: this.#now });
    if (!lease) throw new TokenStoreError(`no ${purpose} lease on token store ${basename(this.#path)} within ${this.#waitMs} ms`);
    return lease;
  }

  /** `change` may decline (false): then nothing is written. */
  #update(change: (all: Record<string, StoredTokens>) => void | boolean | Promise<boolean>): Promise<void> {
    const run = this.#queue
      .catch(() => undefined)
      .then(async () => {
        const all = await this.#read();
        if ((await change(all)) === false) return;
        await this.#write(all);
      });
    this.#queue = run;
    return run;
  }

  async #read(): Promise<Record<string, StoredTokens>> {
    let raw: string;
    try {
      raw = await readFile(this.#path, "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOENT") return {};
      throw error;
    }
    let envelope: { v?: unknown; kid?: unknown; iv?: unknown; tag?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(raw) as typeof envelope;
    } catch {
      throw new TokenStoreError(`token store ${basename(this.#path)} is truncated or not a token store`);
    }
    if (
      typeof envelope !== "object" ||
      envelope === null ||
      envelope.v !== 1 ||
      typeof envelope.kid !== "string" ||
      typeof envelope.iv !== "string" ||
      typeof envelope.tag !== "string" ||
      typeof envelope.data !== "string"
    )
      throw new TokenStoreError(`token store ${basename(this.#path)} has an unknown format`);
    const key = this.#keys.find((k) => k.id === envelope.kid);
    if (!key) throw new TokenStoreError(`token store ${basename(this.#path)} is encrypted with a key that is not configured`);
    let plain: string;
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(envelope.iv, "base64"));
      decipher.setAAD(Buffer.concat([AAD, Buffer.from(key.id)]));
      decipher.setAuthTag(Buffer.from(envelope.tag, "base64"));
      plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, "base64")), decipher.final()]).toString("utf8");
    } catch (error) {
      throw new TokenStoreError(`token store ${basename(this.#path)} failed authentication: tampered or truncated`, { cause: error });
    }
    const all = JSON.parse(plain) as unknown;
    if (typeof all !== "object" || all === null || Array.isArray(all))
      throw new TokenStoreError(`token store ${basename(this.#path)} holds no token map`);
    return Object.assign(Object.create(null) as Record<string, StoredTokens>, all);
  }

  async #write(all: Record<string, StoredTokens>): Promise<void> {
    const key = this.#keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
    cipher.setAAD(Buffer.concat([AAD, Buffer.from(key.id)]));
    const data = Buffer.concat([cipher.update(JSON.stringify(all), "utf8"), cipher.final()]);
    const envelope = JSON.stringify({
      v: 1,
      kid: key.id,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    });
    const dir = dirname(this.#path);
    const temp = join(dir, `.${basename(this.#path)}.${randomBytes(6).toString("hex")}.tmp`);
    const file = await open(temp, "wx", 0o600);
    try {
      await file.writeFile(envelope, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, this.#path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    const directory = await open(dir, "r").catch(() => undefined);
    if (directory) {
      await directory.sync().catch(() => undefined); // not supported on every platform
      await directory.close();
    }
  }
}
