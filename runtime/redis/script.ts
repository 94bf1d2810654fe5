/**
 * The few things the Redis stores need from a client: `call(command, ...args)`, which ioredis'
 * `Redis` and `Cluster` both have. Scripts run with EVALSHA and are loaded with EVAL once a server
 * answers NOSCRIPT (a restarted or failed-over server forgets them).
 */
import { createHash } from "node:crypto";

/** An ioredis `Redis` or `Cluster` (or anything with the same `call`). */
export interface RedisClientLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export class RedisScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash("sha1").update(source).digest("hex");
  }

  async run(client: RedisClientLike, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.call("EVALSHA", this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.call("EVAL", this.#source, keys.length, ...keys, ...args);
    }
  }
}

/** Redis TIME as epoch ms, for Lua: every store computes times from the server's clock, never a process's. */
export const LUA_NOW = `local __t = redis.call('TIME')
local now = tonumber(__t[1]) * 1000 + math.floor(tonumber(__t[2]) / 1000)`;

/**
 * The Redis Cluster hash tag of a store key: everything before its last ":" (the limiter's keys are
 * `<provider or account>:<bucket>`), so one provider's keys share a slot and a script may touch them all.
 */
export function hashTagged(prefix: string, key: string): string {
  const cut = key.lastIndexOf(":");
  const tag = (cut > 0 ? key.slice(0, cut) : key).replace(/[{}]/g, "_");
  return `${prefix}{${tag}}${key.slice(cut > 0 ? cut : key.length)}`;
}
