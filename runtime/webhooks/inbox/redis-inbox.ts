/**
 * `@switchboard/runtime/webhooks/inbox/redis`: the webhook inbox for a fleet, in Redis. It takes an
 * ioredis `Redis` or `Cluster` the application creates and owns (ioredis is an optional peer; nothing
 * else in the runtime needs it). Every operation is one Lua script, atomic on the server; times come
 * from Redis `TIME` unless a clock is injected.
 *
 * Keys, all under one hash tag (`<prefix>{<name>}:`), so one inbox lives in one Cluster slot:
 * `seq` (a counter), `e:<id>` (a hash per event), `k:<order key>` (a list of the key's pending and
 * leased events, in order), `ready` (events that may run now, by seq), `delayed` (by the time their
 * backoff ends), `leased` (by lease expiry) and `dead` (by seq). Only the first event of a key's list
 * is ever ready, delayed or leased, so events of one key never run concurrently or out of order.
 *
 * Durability is Redis's: an acknowledged event survives a Redis restart only with persistence on
 * (`appendonly yes`; `appendfsync always` to lose nothing on a power cut). Failures are
 * StoreUnavailableError: the receiving endpoint answers 503 and the provider delivers again.
 */
import { StoreGuard, type StoreGuardOptions } from "../../stores/store-failure.js";
import { RedisScript, type RedisClientLike } from "../../redis/script.js";
import { DEFAULT_DONE_TTL_MS, positiveInteger } from "../dedup-store.js";
import type { ClaimOptions, DeadLetter, InboxClaim, InboxCounts, InboxEntry, WebhookInbox } from "./inbox.js";

/** ARGV[1] is the key base, ARGV[2] the time (negative: Redis TIME). */
const PRELUDE = `local base = ARGV[1]
local now = tonumber(ARGV[2])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- The event leaves its key's list; the key's next event becomes ready.
local function advance(id, okey)
  if okey == '' or okey == false then return end
  local list = base .. 'k:' .. okey
  redis.call('LREM', list, 1, id)
  local nextId = redis.call('LINDEX', list, 0)
  if nextId then redis.call('ZADD', base .. 'ready', redis.call('HGET', base .. 'e:' .. nextId, 'seq'), nextId) end
end
-- Queues an event (new or replayed) at the tail of its key's list.
local function queue(id, okey)
  local seq = redis.call('INCR', base .. 'seq')
  redis.call('HSET', base .. 'e:' .. id, 'seq', seq, 'state', 'pending', 'attempts', 0, 'token', '')
  redis.call('INCR', base .. 'pending')
  if okey == '' or redis.call('RPUSH', base .. 'k:' .. okey, id) == 1 then redis.call('ZADD', base .. 'ready', seq, id) end
end
`;

/** ARGV: base, now, id, order key ('' for none), event, received at. */
const ENQUEUE = new RedisScript(`${PRELUDE}
local key = base .. 'e:' .. ARGV[3]
if redis.call('EXISTS', key) == 1 then return 0 end
redis.call('HSET', key, 'okey', ARGV[4], 'event', ARGV[5], 'recv', ARGV[6])
queue(ARGV[3], ARGV[4])
return 1`);

/** ARGV: base, now, token, lease ms, max attempts, lease-ran-out message. */
const CLAIM = new RedisScript(`${PRELUDE}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 'leased', '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', base .. 'leased', id)
  local key = base .. 'e:' .. id
  local e = redis.call('HMGET', key, 'attempts', 'seq', 'okey')
  if tonumber(e[1]) >= tonumber(ARGV[5]) then
    redis.call('HSET', key, 'state', 'dead', 'token', '', 'fin', now, 'error', ARGV[6])
    redis.call('ZADD', base .. 'dead', e[2], id)
    advance(id, e[3])
  else
    redis.call('HSET', key, 'state', 'pending', 'token', '')
    redis.call('INCR', base .. 'pending')
    redis.call('ZADD', base .. 'ready', e[2], id)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 'delayed', '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', base .. 'delayed', id)
  redis.call('ZADD', base .. 'ready', redis.call('HGET', base .. 'e:' .. id, 'seq'), id)
end
local head = redis.call('ZRANGE', base .. 'ready', 0, 0)[1]
if not head then return false end
redis.call('ZREM', base .. 'ready', head)
redis.call('DECR', base .. 'pending')
local key = base .. 'e:' .. head
local attempt = redis.call('HINCRBY', key, 'attempts', 1)
redis.call('HSET', key, 'state', 'leased', 'token', ARGV[3])
redis.call('ZADD', base .. 'leased', now + tonumber(ARGV[4]), head)
local e = redis.call('HMGET', key, 'okey', 'event', 'recv')
return {head, e[1], e[2], e[3], attempt}`);

/** ARGV: base, now, id, token, outcome ('done' | 'retry' | 'dead'), delay ms or done TTL, error. */
const SETTLE = new RedisScript(`${PRELUDE}
local id = ARGV[3]
local key = base .. 'e:' .. id
local e = redis.call('HMGET', key, 'state', 'token', 'okey', 'seq')
if e[1] ~= 'leased' or e[2] ~= ARGV[4] then return 0 end
redis.call('ZREM', base .. 'leased', id)
if ARGV[5] == 'done' then
  redis.call('HSET', key, 'state', 'done', 'token', '', 'fin', now)
  redis.call('HDEL', key, 'event', 'error')
  redis.call('PEXPIRE', key, tonumber(ARGV[6]))
  redis.call('ZREMRANGEBYSCORE', base .. 'done', '-inf', now - tonumber(ARGV[6]))
  redis.call('ZADD', base .. 'done', now, id)
  advance(id, e[3])
elseif ARGV[5] == 'retry' then
  redis.call('HSET', key, 'state', 'pending', 'token', '', 'error', ARGV[7])
  redis.call('INCR', base .. 'pending')
  redis.call('ZADD', base .. 'delayed', now + tonumber(ARGV[6]), id)
else
  redis.call('HSET', key, 'state', 'dead', 'token', '', 'fin', now, 'error', ARGV[7])
  redis.call('ZADD', base .. 'dead', e[4], id)
  advance(id, e[3])
end
return 1`);

/** ARGV: base, now, id, token, lease ms. */
const RENEW = new RedisScript(`${PRELUDE}
local key = base .. 'e:' .. ARGV[3]
local e = redis.call('HMGET', key, 'state', 'token')
if e[1] ~= 'leased' or e[2] ~= ARGV[4] then return 0 end
redis.call('ZADD', base .. 'leased', now + tonumber(ARGV[5]), ARGV[3])
return 1`);

/** ARGV: base, now, id. */
const REPLAY = new RedisScript(`${PRELUDE}
local id = ARGV[3]
if redis.call('ZREM', base .. 'dead', id) == 0 then return 0 end
local key = base .. 'e:' .. id
redis.call('HDEL', key, 'fin', 'error')
queue(id, redis.call('HGET', key, 'okey'))
return 1`);

/** ARGV: base, now. */
const DEAD_LETTERS = new RedisScript(`${PRELUDE}
local out = {}
for _, id in ipairs(redis.call('ZRANGE', base .. 'dead', 0, -1)) do
  local e = redis.call('HMGET', base .. 'e:' .. id, 'okey', 'event', 'recv', 'attempts', 'fin', 'error')
  table.insert(out, {id, e[1], e[2], e[3], e[4], e[5], e[6]})
end
return out`);

/** ARGV: base, now, done TTL. */
const COUNTS = new RedisScript(`${PRELUDE}
redis.call('ZREMRANGEBYSCORE', base .. 'done', '-inf', now - tonumber(ARGV[3]))
return {tonumber(redis.call('GET', base .. 'pending') or '0'), redis.call('ZCARD', base .. 'leased'),
  redis.call('ZCARD', base .. 'done'), redis.call('ZCARD', base .. 'dead')}`);

export interface RedisInboxOptions extends StoreGuardOptions {
  /** An ioredis `Redis` or `Cluster`; the application owns it (and closes it). */
  readonly client: RedisClientLike;
  /** The inbox's name: several inboxes may share one Redis. @default "webhooks" */
  readonly name?: string;
  /** @default "switchboard:inbox:" */
  readonly prefix?: string;
  /** How long a done event is remembered (a redelivery of it is a duplicate), in ms. @default 604800000 (7 days) */
  readonly doneTtlMs?: number;
  /**
   * The clock the inbox's rules (leases, backoff) run on, epoch ms. By default Redis `TIME`, so workers
   * whose clocks disagree share one; inject one for tests.
   */
  readonly clock?: () => number;
}

type Tuple = [string, string, string, string, number | string, (string | null)?, (string | null)?];

export class RedisInbox implements WebhookInbox {
  readonly #client: RedisClientLike;
  readonly #base: string;
  readonly #guard: StoreGuard;
  readonly #doneTtlMs: number;
  readonly #clock: (() => number) | undefined;

  constructor(options: RedisInboxOptions) {
    this.#client = options.client;
    const name = (options.name ?? "webhooks").replace(/[{}]/g, "_");
    this.#base = `${options.prefix ?? "switchboard:inbox:"}{${name}}:`;
    this.#guard = new StoreGuard("redis-inbox", options);
    this.#doneTtlMs = positiveInteger("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#clock = options.clock;
  }

  async enqueue(entry: InboxEntry): Promise<"stored" | "duplicate"> {
    const stored = await this.#run("enqueue", ENQUEUE, [entry.id, entry.orderKey ?? "", entry.event, entry.receivedAt]);
    return Number(stored) === 1 ? "stored" : "duplicate";
  }

  async claim(options: ClaimOptions): Promise<InboxClaim | undefined> {
    const answer = (await this.#run("claim", CLAIM, [options.token, options.leaseMs, options.maxAttempts, LEASE_RAN_OUT])) as Tuple | null;
    if (!answer) return undefined;
    const [id, orderKey, event, receivedAt, attempt] = answer;
    return {
      id,
      orderKey: orderKey === "" ? undefined : orderKey,
      event,
      receivedAt: Number(receivedAt),
      token: options.token,
      attempt: Number(attempt),
    };
  }

  async complete(id: string, token: string): Promise<boolean> {
    return Number(await this.#run("complete", SETTLE, [id, token, "done", this.#doneTtlMs, ""])) === 1;
  }

  async retry(id: string, token: string, delayMs: number, error: string): Promise<boolean> {
    return Number(await this.#run("retry", SETTLE, [id, token, "retry", Math.max(0, Math.round(delayMs)), error])) === 1;
  }

  async renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return Number(await this.#run("renew", RENEW, [id, token, Math.max(1, Math.round(leaseMs))])) === 1;
  }

  async deadLetter(id: string, token: string, error: string): Promise<boolean> {
    return Number(await this.#run("dead_letter", SETTLE, [id, token, "dead", 0, error])) === 1;
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const rows = (await this.#run("dead_letters", DEAD_LETTERS, [])) as Tuple[];
    return rows.map(([id, orderKey, event, receivedAt, attempts, failedAt, error]) => ({
      id,
      orderKey: orderKey === "" ? undefined : orderKey,
      event,
      receivedAt: Number(receivedAt),
      attempts: Number(attempts),
      failedAt: Number(failedAt ?? 0),
      error: error ?? "",
    }));
  }

  async replay(id: string): Promise<boolean> {
    return Number(await this.#run("replay", REPLAY, [id])) === 1;
  }

  async counts(): Promise<InboxCounts> {
    const [pending, leased, done, dead] = (await this.#run("counts", COUNTS, [this.#doneTtlMs])) as number[];
    return { pending: Number(pending), leased: Number(leased), done: Number(done), dead: Number(dead) };
  }

  #run(operation: string, script: RedisScript, args: readonly (string | number)[]): Promise<unknown> {
    return this.#guard.run(operation, () => script.run(this.#client, [`${this.#base}seq`], [this.#base, this.#clock?.() ?? -1, ...args]));
  }
}

const LEASE_RAN_OUT = "the lease expired on the last attempt (the worker stopped, or the handler ran longer than leaseMs)";
