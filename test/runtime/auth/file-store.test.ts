/**
 * EncryptedFileTokenStore: AES-256-GCM at rest, atomic writes, typed errors for truncated or tampered
 * files, and key rotation (read with old keys, write with the new one).
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isTokenStoreError, TokenStoreError } from "../../../runtime/auth/errors.js";
import { EncryptedFileTokenStore, generateTokenKey } from "../../../runtime/auth/file-store.js";

const TOKENS = { accessToken: "at-very-secret-access-token", refreshToken: "rt-very-secret-refresh-token", expiresAt: 1_800_000_000_000 };
const KEY_A = generateTokenKey();
const KEY_B = generateTokenKey();

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchboard-store-"));
  file = join(dir, "tokens.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<TokenStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenStoreError);
  expect(isTokenStoreError(error)).toBe(true);
  expect((error as TokenStoreError).code).toBe("token_store_corrupt");
  return error as TokenStoreError;
}

describe("EncryptedFileTokenStore", () => {
  it("round-trips tokens and never writes a token in clear", async () => {
    const store = new EncryptedFileTokenStore({ path: file, keys: [KEY_A] });
    await store.set("oauth2:app", TOKENS);
    expect(await store.get("oauth2:app")).toEqual(TOKENS);
    expect(await new EncryptedFileTokenStore({ path: file, keys: [KEY_A] }).get("oauth2:app")).toEqual(TOKENS);
    const raw = await readFile(file, "utf8");
    for (const secret of [TOKENS.accessToken, TOKENS.refreshToken, "secret", Buffer.from(TOKENS.accessToken).toString("base64")])
      expect(raw).not.toContain(secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["tokens.json"]); // no temp file left behind
  });

  it("get returns undefined for a missing file or key; delete removes a key", async () => {
    const store = new EncryptedFileTokenStore({ path: file, keys: [KEY_A] });
    expect(await store.get("x")).toBeUndefined();
    await store.set("a", TOKENS);
    await store.set("b", { accessToken: "b" });
    await store.delete("a");
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("b")).toEqual({ accessToken: "b" });
  });

  it("concurrent set() calls all land (writes are serialized)", async () => {
    const store = new EncryptedFileTokenStore({ path: file, keys: [KEY_A] });
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.set(`k${i}`, { accessToken: `t${i}` })));
    const reread = new EncryptedFileTokenStore({ path: file, keys: [KEY_A] });
    for (let i = 0; i < 25; i++) expect(await reread.get(`k${i}`)).toEqual({ accessToken: `t${i}` });
  });

  it("set() and delete() of stores opened on one file by different processes all land (each takes the file's lease)", async () => {
    // One instance per process: each serializes only its own writes, and each write rewrites the whole file.
    const stores = Array.from({ length: 4 }, () => new EncryptedFileTokenStore({ path: file, keys: [KEY_A] }));
    await stores[0]!.set("gone", TOKENS);
    await Promise.all([
      ...stores.flatMap((store, p) => Array.from({ length: 10 }, (_, i) => store.set(`p${p}-k${i}`, { accessToken: `t${p}-${i}` }))),
      stores[3]!.delete("gone"),
    ]);
    const reread = new EncryptedFileTokenStore({ path: file, keys: [KEY_A] });
    for (let p = 0; p < 4; p++) for (let i = 0; i < 10; i++) expect(await reread.get(`p${p}-k${i}`)).toEqual({ accessToken: `t${p}-${i}` });
    expect(await reread.get("gone")).toBeUndefined();
    expect((await readdir(dir)).sort()).toEqual(["tokens.json"]); // no lock, draft or temp file left behind
  });

  it.each([
    {
      given: "a file truncated mid-way",
      damage: (raw: string) => raw.slice(0, Math.floor(raw.length / 2)),
      message: "token store tokens.json is truncated or not a token store",
    },
    { given: "an empty file", damage: () => "", message: "token store tokens.json is truncated or not a token store" },
    {
      given: "a flipped ciphertext byte",
      damage: (raw: string) => {
        const envelope = JSON.parse(raw) as { data: string };
        const bytes = Buffer.from(envelope.data, "base64");
        bytes[3] = bytes[3]! ^ 1;
        return JSON.stringify({ ...envelope, data: bytes.toString("base64") });
      },
      message: "token store tokens.json failed authentication: tampered or truncated",
    },
    {
      given: "a truncated ciphertext",
      damage: (raw: string) => {
        const envelope = JSON.parse(raw) as { data: string };
        return JSON.stringify({ ...envelope, data: Buffer.from(envelope.data, "base64").subarray(0, 5).toString("base64") });
      },
      message: "token store tokens.json failed authentication: tampered or truncated",
    },
    { given: "another format", damage: () => '{"accessToken":"x"}', message: "token store tokens.json has an unknown format" },
  ])("get gives TokenStoreError for $given, never garbage tokens", async ({ damage, message }) => {
    const store = new EncryptedFileTokenStore({ path: file, keys: [KEY_A] });
    await store.set("a", TOKENS);
    await writeFile(file, damage(await readFile(file, "utf8")));
    const error = await rejection(store.get("a"));
    expect(error.message).toBe(message);
    // A write on top of a damaged file fails too instead of silently dropping every other grant.
    await rejection(store.set("b", TOKENS));
  });

  it("key rotation: reads with the old key, writes with the new one, then the old key alone cannot read", async () => {
    await new EncryptedFileTokenStore({ path: file, keys: [KEY_A] }).set("a", TOKENS);
    const rotated = new EncryptedFileTokenStore({
      path: file,
      env: { SWITCHBOARD_TOKEN_KEY: KEY_B, SWITCHBOARD_TOKEN_KEY_PREVIOUS: KEY_A },
    });
    expect(await rotated.get("a")).toEqual(TOKENS);
    const kidBefore = (JSON.parse(await readFile(file, "utf8")) as { kid: string }).kid;
    await rotated.rewrite();
    const kidAfter = (JSON.parse(await readFile(file, "utf8")) as { kid: string }).kid;
    expect(kidAfter).not.toBe(kidBefore);
    expect(await new EncryptedFileTokenStore({ path: file, keys: [KEY_B] }).get("a")).toEqual(TOKENS);
    const error = await rejection(new EncryptedFileTokenStore({ path: file, keys: [KEY_A] }).get("a"));
    expect(error.message).toBe("token store tokens.json is encrypted with a key that is not configured");
  });

  it("refuses to start without a key or with a key of the wrong size (ConfigurationError)", () => {
    expect(() => new EncryptedFileTokenStore({ path: file, env: {} })).toThrowError(
      expect.objectContaining({
        code: "configuration",
        message: "SWITCHBOARD_TOKEN_KEY is not set: the token store needs an encryption key",
      }),
    );
    expect(() => new EncryptedFileTokenStore({ path: file, keys: [Buffer.alloc(16).toString("base64")] })).toThrowError(
      expect.objectContaining({ code: "configuration", message: "keys[0] must be 32 bytes (base64 of 32 random bytes)" }),
    );
  });
});
