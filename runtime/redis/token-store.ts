/**
 * A TokenStore in Redis with a distributed single-flight refresh (RefreshCoordinator): the refresh
 * lease is a key set with NX and a PX expiry holding its owner's nonce, with a fence from INCR; the
 * tokens are written by a script that checks, on the server and in one step, that the lease is still
 * this owner's and that no later fence wrote the grant. A holder paused past its lease (a GC pause, a
 * stalled token request) therefore never overwrites a newer holder's tokens. Keys per grant share one
 * hash tag: `<prefix>{<grant key>}:tokens`, `…:lease`, `…:fence`.
 *
 * Tokens are stored as JSON: protect the server as you would the tokens (ACLs, TLS, no persistence
 * beyond what you need). Failures are StoreUnavailableError (the token store fails closed: there is no
 * safe local stand-in for a grant another process may rotate).
 */
import { randomBytes } from "node:crypto";
import { TokenStoreError } from "../auth/errors.js";
import type { RefreshCoordinator, StoredTokens, TokenStore } from "../auth/token-store.js";
import { StoreGuard, type StoreGuardOptions } from "../stores/store-failure.js";
import { RedisScript, type RedisClientLike } from "./script.js";

const ACQUIRE = new RedisScript(`if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return -redis.call('PTTL', KEYS[1])`);

/** KEYS: tokens, lease. ARGV: nonce, fence, JSON. 1 when written. */
const FENCED_SET = new RedisScript(`if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
local fence = tonumber(redis.call('HGET', KEYS[1], 'fence')) or 0
if fence > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'tokens', ARGV[3], 'fence', ARGV[2])
return 1`);

const RELEASE = new RedisScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

export interface RedisTokenStoreOptions extends StoreGuardOptions {
  readonly client: RedisClientLike;
  /** @default "switchboard:tokens:" */
  readonly prefix?: string;
  /** A refresh holds the lease at most this long. @default 30000 */
  readonly refreshLeaseMs?: number;
  /** A process waits at most this long for another's refresh, then fails with TokenStoreError. @default 60000 */
  readonly refreshWaitMs?: number;
}

export class RedisTokenStore implements TokenStore, RefreshCoordinator {
  readonly #client: RedisClientLike;
  readonly #prefix: string;
  readonly #guard: StoreGuard;
  readonly #leaseMs: number;
  readonly #waitMs: number;

  constructor(options: RedisTokenStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? "switchboard:tokens:";
    this.#guard = new StoreGuard("redis-token-store", options);
    this.#leaseMs = options.refreshLeaseMs ?? 30_000;
    this.#waitMs = options.refreshWaitMs ?? 60_000;
  }

  async get(key: string): Promise<StoredTokens | undefined> {
    const raw = await this.#guard.run("get", () => this.#client.call("HGET", this.#key(key, "tokens"), "tokens"));
    if (raw === null || raw === undefined) return undefined;
    try {
      return JSON.parse(String(raw)) as StoredTokens;
    } catch {
      throw new TokenStoreError("the token store holds an unreadable entry for this grant");
    }
  }

  async set(key: string, tokens: StoredTokens): Promise<void> {
    await this.#guard.run("set", () => this.#client.call("HSET", this.#key(key, "tokens"), "tokens", JSON.stringify(tokens)));
  }

  async delete(key: string): Promise<void> {
    await this.#guard.run("delete", () => this.#client.call("DEL", this.#key(key, "tokens")));
  }

  async refreshExclusive(
    key: string,
    refresh: (stored: StoredTokens | undefined) => Promise<StoredTokens>,
  ): Promise<StoredTokens | undefined> {
    const nonce = randomBytes(12).toString("hex");
    const lease = this.#key(key, "lease");
    const giveUpAt = Date.now() + this.#waitMs;
    let fence = 0;
    for (;;) {
      const answer = Number(
        await this.#guard.run("acquire", () => ACQUIRE.run(this.#client, [lease, this.#key(key, "fence")], [nonce, this.#leaseMs])),
      );
      if (answer > 0) {
        fence = answer;
        break;
      }
      if (Date.now() >= giveUpAt) throw new TokenStoreError(`no refresh lease for this grant within ${this.#waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(25, Math.max(2, -answer))));
    }
    try {
      const stored = await this.get(key);
      const next = await refresh(stored);
      if (next === stored) return stored;
      const written = await this.#guard.run("set", () =>
        FENCED_SET.run(this.#client, [this.#key(key, "tokens"), lease], [nonce, fence, JSON.stringify(next)]),
      );
      return Number(written) === 1 ? next : await this.get(key);
    } finally {
      await this.#guard.run("release", () => RELEASE.run(this.#client, [lease], [nonce])).catch(() => undefined);
    }
  }

  #key(key: string, part: string): string {
    return `${this.#prefix}{${key.replace(/[{}]/g, "_")}}:${part}`;
  }
}
