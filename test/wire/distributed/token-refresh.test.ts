/**
 * Issue 18, "Done means": processes sharing a token store (the encrypted file, Redis) coordinate
 * refreshes against a real authorization server (oidc-provider, rotating refresh tokens): 4 processes
 * on one expired token -> exactly one token request and every process ends with the new token; a
 * manager holding a rotated-away refresh token in memory adopts the new one without invalid_grant;
 * a lease holder paused past its lease cannot overwrite the newer holder's tokens.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import { EncryptedFileTokenStore, generateTokenKey } from "../../../runtime/auth/file-store.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore, type RefreshCoordinator, type StoredTokens, type TokenStore } from "../../../runtime/auth/token-store.js";
import { RedisTokenStore } from "../../../runtime/redis/token-store.js";
import { startFleet } from "../../helpers/distributed-worker.js";
import { CONFIDENTIAL, loginWithHttp, SCOPES, startOidcServer, type OidcServer } from "../../helpers/oidc-server.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

const REDIRECT = "http://127.0.0.1:7999/callback";
const TOKEN_KEY = generateTokenKey();

let oidc: OidcServer;
let redis: RedisServer;
let client: Redis;
let directory: string;
let grants = 0;

beforeAll(async () => {
  [oidc, redis] = await Promise.all([startOidcServer(), startRedisServer()]);
  client = new Redis({ port: redis.port, host: "127.0.0.1" });
  directory = mkdtempSync(join(tmpdir(), "switchboard-tokens-"));
});
afterAll(async () => {
  await client?.quit();
  await Promise.all([oidc?.close(), redis?.stop()]);
  rmSync(directory, { recursive: true, force: true });
});

async function authorize(): Promise<StoredTokens> {
  const flow = new OAuth2Authorization(oidc.mode(), {
    ...CONFIDENTIAL,
    redirectUri: REDIRECT,
    scopes: SCOPES,
    store: new MemoryTokenStore(),
  });
  const { url } = await flow.start();
  return flow.finish(await loginWithHttp(url));
}

interface Kind {
  readonly name: string;
  /** A new store instance on the shared state (as another process would open it). */
  open(options?: { leaseMs?: number; now?: () => number }): TokenStore & RefreshCoordinator;
  env(): Record<string, string>;
}

const kinds: Kind[] = [
  {
    name: "EncryptedFileTokenStore",
    open: (options = {}) =>
      new EncryptedFileTokenStore({
        path: join(directory, "tokens.json"),
        keys: [TOKEN_KEY],
        ...(options.leaseMs !== undefined && { refreshLeaseMs: options.leaseMs }),
        ...(options.now && { now: options.now }),
      }),
    env: () => ({ STORE: "file", TOKEN_PATH: join(directory, "tokens.json"), TOKEN_KEY }),
  },
  {
    name: "RedisTokenStore",
    open: (options = {}) =>
      new RedisTokenStore({ client, timeoutMs: 2000, ...(options.leaseMs !== undefined && { refreshLeaseMs: options.leaseMs }) }),
    env: () => ({ STORE: "redis", REDIS_PORT: String(redis.port) }),
  },
];

describe.each(kinds)("$name shared by processes", (kind) => {
  it("4 processes on one expired token make exactly one token request and all end with the new token", async () => {
    const key = `grant-${++grants}`;
    const tokens = await authorize();
    await kind.open().set(key, { ...tokens, expiresAt: Date.now() - 1000 });
    const before = oidc.tokenRequests.filter((r) => r.grantType === "refresh_token").length;
    const fleet = await startFleet<{ accessToken?: string; error?: string }>(4, {
      MODE: "token",
      AUTH_MODE: JSON.stringify(oidc.mode()),
      CLIENT: JSON.stringify(CONFIDENTIAL),
      KEY: key,
      ...kind.env(),
    });
    fleet.go();
    const results = await fleet.results;
    const refreshes = oidc.tokenRequests.filter((r) => r.grantType === "refresh_token").length - before;
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(refreshes).toBe(1);
    const stored = await kind.open().get(key);
    expect(stored?.accessToken).not.toBe(tokens.accessToken);
    expect(results.map((r) => r.accessToken)).toEqual(Array(4).fill(stored!.accessToken));
    expect(await oidc.isActive(stored!.accessToken)).toBe(true);
  });

  it("a manager holding a rotated-away refresh token adopts the stored one instead of sending it (no invalid_grant)", async () => {
    const key = `grant-${++grants}`;
    const tokens = await authorize();
    await kind.open().set(key, tokens);
    let now = Date.now();
    const mode = oidc.mode();
    const holder = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store: kind.open(), key, now: () => now });
    const other = new OAuth2TokenManager(mode, { ...CONFIDENTIAL, store: kind.open(), key, now: () => now });
    expect(await holder.getToken()).toBe(tokens.accessToken); // holds the first pair in memory
    now = tokens.expiresAt! + 1;
    const rotated = await other.getToken(); // refreshes: the stored refresh token rotates
    const before = oidc.tokenRequests.length;
    expect(await holder.getToken()).toBe(rotated);
    expect(oidc.tokenRequests.length).toBe(before);
    const stored = await kind.open().get(key);
    expect(stored?.refreshToken).not.toBe(tokens.refreshToken);
    expect(await oidc.isActive(rotated)).toBe(true);
  });

  it("a lease holder paused past its lease cannot overwrite the tokens of the holder after it", async () => {
    const key = `grant-${++grants}`;
    const first: StoredTokens = { accessToken: "first", refreshToken: "r-first", expiresAt: 1 };
    await kind.open().set(key, first);
    const paused = kind.open({ leaseMs: 150 });
    const next = kind.open({ leaseMs: 150 });
    let resume!: () => void;
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    const late = paused.refreshExclusive(key, async () => {
      started();
      await new Promise<void>((resolve) => (resume = resolve));
      return { accessToken: "stale-holder", refreshToken: "r-stale" };
    });
    await hasStarted;
    // Waits for the paused holder's lease to expire, then renews.
    const newer = await next.refreshExclusive(key, async (stored) => {
      expect(stored?.accessToken).toBe("first");
      return { accessToken: "newer-holder", refreshToken: "r-newer" };
    });
    expect(newer?.accessToken).toBe("newer-holder");
    resume();
    expect((await late)?.accessToken).toBe("newer-holder");
    expect((await kind.open().get(key))?.accessToken).toBe("newer-holder");
  });
});
