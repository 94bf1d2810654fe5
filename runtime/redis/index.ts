/**
 * `@switchboard/runtime/redis`: shared state for a fleet in Redis. The stores take an ioredis `Redis`
 * or `Cluster` that the application creates and owns (ioredis is an optional peer dependency; nothing
 * else in the runtime needs it).
 */
export { RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./rate-limit-store.js";
export type { RedisClientLike } from "./script.js";
export { isStoreUnavailableError, StoreUnavailableError } from "../errors/errors.js";
export type { StoreFailureMode, StoreGuardOptions, StoreHealthEvent } from "../stores/store-failure.js";
export { RedisTokenStore, type RedisTokenStoreOptions } from "./token-store.js";
export { RedisDedupStore, type RedisDedupStoreOptions } from "./dedup-store.js";
