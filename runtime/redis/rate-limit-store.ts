/**
 * A RateLimitStore in Redis: every process of a fleet takes from one budget. Each operation is one Lua
 * script (atomic on the server), and every time in it comes from Redis TIME, so processes whose clocks
 * disagree still share one window. Per bucket, three keys with one hash tag:
 * `<prefix>{<account>}:<bucket>:s` (a hash: pause, provider count, token bucket, slots created),
 * `…:f` (idle slots by the time they freed) and `…:h` (slots held by requests in flight, by start).
 *
 * A sliding window holds one slot per request from its start until one window after it completed, as
 * the in-memory store does; a slot held longer than `inFlightLeaseMs` (its process died) is taken back
 * as freed at that moment. The provider's count (`sync`) and a 429's pause (`pause`) apply to every
 * process at once.
 */
import type { Clock } from "../clock.js";
import {
  MemoryRateLimitStore,
  type BucketLimits,
  type RateLimitStore,
  type RateLimitStoreFailure,
  type SharedRateLimitStore,
} from "../policies/rate-limit-store.js";
import { GuardedStore, type StoreHealthEvent } from "../policies/store-guard.js";
import { pollWhenFullMs, sharedWindowSlots, slidingWindowMs, SlotLedger } from "../stores/slot-ledger.js";
import { StoreGuard, type StoreFailureMode, type StoreGuardOptions } from "../stores/store-failure.js";
import { hashTagged, LUA_NOW, RedisScript, type RedisClientLike } from "./script.js";

const TAKE = new RedisScript(`${LUA_NOW}
local rate, perMs, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local slots, windowMs, leaseMs, ttlMs = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local cost = tonumber(ARGV[8])
local needed = math.min(cost, burst >= 0 and burst or rate)
local s = redis.call('HMGET', KEYS[1], 'paused', 'remaining', 'reset', 'tokens', 'refilled', 'n')
local paused = tonumber(s[1]) or 0
if now < paused then return {paused - now, -1} end
local remaining, reset = tonumber(s[2]) or 0, tonumber(s[3]) or 0
local knows = now < reset
if knows and (remaining <= 0 or remaining < needed) then return {reset - now, -1} end
local slot = -1
if slots > 0 then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - leaseMs)) do
    redis.call('ZREM', KEYS[3], id)
    redis.call('ZADD', KEYS[2], now, id)
  end
  local n = tonumber(s[6]) or 0
  local fresh, freeAt = false, 0
  if n < slots then
    slot, fresh, freeAt = n, true, now - windowMs
  else
    local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if head[1] then slot, freeAt = tonumber(head[1]), tonumber(head[2]) end
  end
  if not knows then
    if slot < 0 then return {-2, -1} end
    local wait = freeAt + windowMs - now
    if wait > 0 then return {math.ceil(wait), -1} end
  end
  if slot >= 0 then
    if fresh then redis.call('HSET', KEYS[1], 'n', n + 1) else redis.call('ZREM', KEYS[2], slot) end
    redis.call('ZADD', KEYS[3], now, slot)
  end
else
  local capacity = burst >= 0 and burst or rate
  local tokens, refilled = tonumber(s[4]), tonumber(s[5])
  if tokens == nil then tokens, refilled = capacity, now end
  tokens = math.min(capacity, tokens + (now - refilled) * rate / perMs)
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'refilled', now)
  if not knows and tokens < needed then return {math.ceil((needed - tokens) * perMs / rate), -1} end
  redis.call('HSET', KEYS[1], 'tokens', tostring(math.max(0, tokens - cost)))
end
if knows then redis.call('HSET', KEYS[1], 'remaining', remaining - cost) end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttlMs) end
return {0, slot}`);

/** ARGV[2]: how long ago the request completed (the script may run later than that). */
const COMPLETE = new RedisScript(`${LUA_NOW}
if redis.call('ZREM', KEYS[3], ARGV[1]) == 1 then redis.call('ZADD', KEYS[2], now - math.max(0, tonumber(ARGV[2])), ARGV[1]) end
return 0`);

/**
 * A token bucket's request cost other than it was taken with (the answer said so): the difference is
 * given back (or taken) at once, within the bucket's capacity; ARGV: the difference, the capacity.
 */
const REPRICE = new RedisScript(`${LUA_NOW}
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if tokens == nil then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(math.max(0, math.min(tonumber(ARGV[2]), tokens + tonumber(ARGV[1])))))
return 0`);

/** Within one provider window the lowest count wins (answers of several processes arrive out of order); a later window replaces it. */
const SYNC = new RedisScript(`${LUA_NOW}
local remaining, reset = math.max(0, tonumber(ARGV[1])), now + tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'remaining', 'reset')
local oldRemaining, oldReset = tonumber(s[1]), tonumber(s[2]) or 0
if oldRemaining ~= nil and now < oldReset then
  remaining = math.min(remaining, oldRemaining)
  reset = math.max(reset, oldReset)
end
redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset', reset)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 0`);

const PAUSE = new RedisScript(`${LUA_NOW}
local untilAt = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
if untilAt > paused then redis.call('HSET', KEYS[1], 'paused', untilAt) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 0`);

export interface RedisRateLimitStoreOptions extends StoreGuardOptions {
  /** An ioredis `Redis` or `Cluster`; the application owns it (and closes it). */
  readonly client: RedisClientLike;
  /** Prefix of every key. @default "switchboard:rl:" */
  readonly prefix?: string;
  /**
   * When Redis fails or does not answer within `timeoutMs`: `open` (default) lets requests through a
   * local limiter at `1 / failOpenShare` of each bucket's rate, starting one window after the failure
   * (the fleet may have spent the window just before), so a fleet of that many processes stays within
   * the budget; `closed` fails them with StoreUnavailableError.
   * @default "open"
   */
  readonly onFailure?: StoreFailureMode;
  /** The share of the budget each process takes while Redis is unavailable: its number of processes. @default 4 */
  readonly failOpenShare?: number;
  /** A slot held longer than this by a request in flight is taken back (its process died). @default 300000 (5 minutes) */
  readonly inFlightLeaseMs?: number;
}

type Grant = number | "local";

/** One day past the longest pause: idle buckets leave nothing behind. */
const KEY_TTL_MS = 2 * 24 * 60 * 60 * 1000;

export class RedisRateLimitStore implements RateLimitStore, SharedRateLimitStore {
  readonly #client: RedisClientLike;
  readonly #prefix: string;
  readonly #guard: StoreGuard;
  readonly #onFailure: StoreFailureMode;
  readonly #share: number;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #ledger = new SlotLedger<Grant>();
  readonly #local = new MemoryRateLimitStore();
  /** Buckets served by the local share since Redis last answered, and when that share starts. */
  readonly #onLocal = new Map<string, number>();

  constructor(options: RedisRateLimitStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? "switchboard:rl:";
    this.#guard = new StoreGuard("redis-rate-limit", options);
    this.#onFailure = options.onFailure ?? "open";
    this.#share = Math.max(1, options.failOpenShare ?? 4);
    this.#leaseMs = options.inFlightLeaseMs ?? 300_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * What the client's store guard does should this store throw anyway: the same as the store itself
   * (the guard would otherwise fail open on half of each bucket).
   */
  get onFailure(): RateLimitStoreFailure {
    return this.#onFailure === "closed" ? { mode: "closed" } : { mode: "open", share: 1 / this.#share };
  }

  /** This store behind the client's store guard (a second line: it contains its own faults already). */
  guarded(clock: Clock, report: (event: StoreHealthEvent) => void): RateLimitStore {
    return new GuardedStore(this, clock, report);
  }

  async take(key: string, limits: BucketLimits, now: number, cost = 1): Promise<number> {
    const slots = sharedWindowSlots(limits.rate, limits.burst);
    const windowMs = slidingWindowMs(limits.rate, limits.perMs, slots);
    let answer: unknown;
    try {
      answer = await this.#guard.run("take", () =>
        TAKE.run(this.#client, this.#keys(key), [
          limits.rate,
          limits.perMs,
          limits.burst ?? -1,
          slots,
          windowMs,
          this.#leaseMs,
          KEY_TTL_MS,
          cost,
        ]),
      );
    } catch (error) {
      if (this.#onFailure === "closed") throw error;
      // The fleet may have spent the whole window just before Redis failed: the local share starts one
      // window from then, never with a fresh budget on top of what was spent.
      let localFrom = this.#onLocal.get(key);
      if (localFrom === undefined) this.#onLocal.set(key, (localFrom = now + limits.perMs));
      if (now < localFrom) return localFrom - now;
      const local = this.#local.take(key, this.#localShare(limits), now, cost);
      if (local === 0) this.#ledger.add(key, now, "local");
      return local;
    }
    this.#onLocal.delete(key);
    const [wait, slot] = answer as [number, number];
    if (wait === 0) {
      this.#ledger.add(key, now, slot);
      return 0;
    }
    return wait === -2 ? pollWhenFullMs(limits.rate, limits.perMs) : wait;
  }

  async complete(key: string, limits: BucketLimits, startedAt: number, now: number, cost = 1, charged = cost): Promise<void> {
    const grant = this.#ledger.take(key, startedAt);
    if (grant === "local") return this.#local.complete(key, this.#localShare(limits), startedAt, now, cost, charged);
    if (grant === undefined) return;
    if (grant < 0) {
      // A token bucket charged the request when it was taken: the answer's own cost corrects it.
      if (charged === cost) return;
      const capacity = limits.burst ?? limits.rate;
      await this.#guard
        .run("complete", () => REPRICE.run(this.#client, this.#keys(key).slice(0, 1), [cost - charged, capacity]))
        .catch(() => undefined);
      return;
    }
    // A completion that cannot be recorded leaves the slot held until its lease ends: safe, only slower.
    const ago = Math.max(0, this.#now() - now);
    await this.#guard.run("complete", () => COMPLETE.run(this.#client, this.#keys(key), [grant, ago])).catch(() => undefined);
  }

  async sync(key: string, remaining: number, resetAt: number, now: number): Promise<void> {
    this.#local.sync(key, Math.floor(remaining / this.#share), resetAt, now);
    await this.#guard
      .run("sync", () => SYNC.run(this.#client, this.#keys(key).slice(0, 1), [remaining, resetAt - now, KEY_TTL_MS]))
      .catch(() => undefined);
  }

  async pause(key: string, until: number): Promise<void> {
    this.#local.pause(key, until);
    const duration = until - this.#now();
    if (duration <= 0) return;
    await this.#guard
      .run("pause", () => PAUSE.run(this.#client, this.#keys(key).slice(0, 1), [duration, KEY_TTL_MS]))
      .catch(() => undefined);
  }

  #keys(key: string): string[] {
    const base = hashTagged(this.#prefix, key);
    return [`${base}:s`, `${base}:f`, `${base}:h`];
  }

  #localShare(limits: BucketLimits): BucketLimits {
    return {
      rate: limits.rate / this.#share,
      perMs: limits.perMs,
      ...(limits.burst !== undefined && { burst: Math.max(1, limits.burst / this.#share) }),
    };
  }
}
