/**
 * A webhook DedupStore in Redis, shared by every instance that receives a provider's deliveries: one
 * key per event id, `p:<token>` while a handler holds the in-progress lease (expiring with it) and `d`
 * once handled (expiring after the done TTL). Every method is one script or one command, so it is
 * atomic for all instances. A failure rejects with StoreUnavailableError, which the handler runner
 * answers with a retryable status: the provider delivers again, nothing runs twice (fail closed).
 */
import { DEFAULT_DONE_TTL_MS, positiveInteger, type DedupBeginResult, type DedupStore } from "../webhooks/dedup-store.js";
import { StoreGuard, type StoreGuardOptions } from "../stores/store-failure.js";
import { RedisScript, type RedisClientLike } from "./script.js";

const BEGIN = new RedisScript(`local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'p:' .. ARGV[1], 'PX', ARGV[2])
  return 'started'
end
if v == 'd' then return 'done' end
return 'in_progress'`);

const RELEASE = new RedisScript(`if redis.call('GET', KEYS[1]) == 'p:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

export interface RedisDedupStoreOptions extends StoreGuardOptions {
  readonly client: RedisClientLike;
  /** @default "switchboard:dedup:" */
  readonly prefix?: string;
  /** How long a done record is remembered, in milliseconds. @default 604800000 (7 days) */
  readonly doneTtlMs?: number;
}

export class RedisDedupStore implements DedupStore {
  readonly #client: RedisClientLike;
  readonly #prefix: string;
  readonly #guard: StoreGuard;
  readonly #doneTtlMs: number;

  constructor(options: RedisDedupStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? "switchboard:dedup:";
    this.#guard = new StoreGuard("redis-dedup", options);
    this.#doneTtlMs = positiveInteger("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
  }

  async begin(id: string, leaseMs: number, token: string): Promise<DedupBeginResult> {
    const answer = await this.#guard.run("begin", () => BEGIN.run(this.#client, [this.#key(id)], [token, leaseMs]));
    return answer as DedupBeginResult;
  }

  async complete(id: string, _token: string): Promise<void> {
    await this.#guard.run("complete", () => this.#client.call("SET", this.#key(id), "d", "PX", this.#doneTtlMs));
  }

  async release(id: string, token: string): Promise<void> {
    await this.#guard.run("release", () => RELEASE.run(this.#client, [this.#key(id)], [token]));
  }

  #key(id: string): string {
    return `${this.#prefix}{${id.replace(/[{}]/g, "_")}}`;
  }
}
