/**
 * GitHub App auth: the app JWT verified with the public key, and installation tokens minted from a
 * loopback token endpoint that checks that JWT, cached until refreshSkew before they expire.
 */
import { createVerify, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppJwt, GithubAppTokenProvider } from "../../../runtime/auth/github-app.js";
import { coreFor } from "../../helpers/client-core.js";
import type { GithubAppAuthDefinition } from "../../../runtime/definition.js";
import { githubDefinition as github } from "../../../generated/github/client.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PKCS1_PEM = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const PKCS8_PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });

function verifyJwt(jwt: string, key = publicKey): { header: Record<string, unknown>; claims: Record<string, number | string> } | undefined {
  const [header, claims, signature] = jwt.split(".");
  const ok = createVerify("RSA-SHA256").update(`${header}.${claims}`).verify(key, Buffer.from(signature!, "base64url"));
  if (!ok) return undefined;
  return {
    header: JSON.parse(Buffer.from(header!, "base64url").toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims!, "base64url").toString()) as Record<string, number | string>,
  };
}

const appMode = github.auth.modes["app"] as GithubAppAuthDefinition;
const NOW = 1_750_000_000_000;

describe("createAppJwt", () => {
  it.each([
    { given: "GitHub's PKCS#1 PEM", pem: PKCS1_PEM },
    { given: "a PKCS#8 PEM", pem: PKCS8_PEM },
  ])("signs an RS256 JWT the public key verifies, from $given", async ({ pem }) => {
    const jwt = await createAppJwt({
      appId: 12345,
      privateKey: pem,
      now: NOW,
      clockSkewMs: appMode.clockSkewMs,
      lifetimeMs: appMode.jwtLifetimeMs,
    });
    const verified = verifyJwt(jwt);
    expect(verified).toBeDefined();
    expect(verified!.header).toEqual({ alg: "RS256", typ: "JWT" });
    expect(verified!.claims).toEqual({ iss: "12345", iat: NOW / 1000 - 60, exp: NOW / 1000 + 9 * 60 });
    expect(verifyJwt(jwt, other.publicKey)).toBeUndefined();
  });

  it("never lets exp be more than 10 minutes ahead", async () => {
    const jwt = await createAppJwt({ appId: "Iv1.abc", privateKey: PKCS1_PEM, now: NOW, lifetimeMs: 3_600_000 });
    expect(verifyJwt(jwt)!.claims["exp"]).toBe(NOW / 1000 + 600);
  });

  it("rejects a key that is not a PEM RSA private key with ConfigurationError", async () => {
    await expect(createAppJwt({ appId: 1, privateKey: "not a key" })).rejects.toMatchObject({
      code: "configuration",
      message: "privateKey is not a PEM RSA private key",
    });
  });
});

describe("GithubAppTokenProvider", () => {
  let server: LoopbackServer;
  let minted = 0;
  beforeAll(async () => {
    server = await startLoopbackServer();
    server.handle((request, response) => {
      const jwt = /^Bearer (.+)$/.exec(String(request.headers.authorization))?.[1];
      if (request.url.startsWith("/app/installations/")) {
        const verified = jwt ? verifyJwt(jwt) : undefined;
        if (!verified || request.url !== "/app/installations/42/access_tokens") {
          response.writeHead(401, { "content-type": "application/json" }).end('{"message":"A JSON web token could not be decoded"}');
          return;
        }
        minted++;
        const expiresAt = new Date(Number(verified.claims["iat"]) * 1000 + 60_000 + 3_600_000).toISOString();
        response
          .writeHead(201, { "content-type": "application/json" })
          .end(JSON.stringify({ token: `ghs_${minted}`, expires_at: expiresAt }));
        return;
      }
      // The API: installation tokens only.
      const ok = /^ghs_\d+$/.test(jwt ?? "");
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ token: jwt }));
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("mints an installation token once and serves it from the cache until refreshSkew before expiry", async () => {
    let now = Date.now();
    const provider = new GithubAppTokenProvider(appMode, {
      appId: 7,
      privateKey: PKCS1_PEM,
      installationId: 42,
      now: () => now,
      installationTokenUrl: `${server.url}/app/installations/{installationId}/access_tokens`,
    });
    const client = coreFor(github, { auth: { mode: "app", installationToken: provider }, baseUrl: server.url, rateLimits: false });
    const operation = { id: "me", method: "GET", path: "/me", group: "me", buckets: [], idempotent: true } as const;
    const before = minted;
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.request(operation, { path: "/me" })));
    expect(new Set(answers.map((a) => (a as { token: string }).token))).toEqual(new Set([`ghs_${before + 1}`]));
    expect(minted - before).toBe(1);
    now += 3_600_000 - appMode.refreshSkewMs - 1000; // still outside the skew
    expect(await provider.getToken()).toBe(`ghs_${before + 1}`);
    now += 2000; // inside the skew: a new token
    expect(await provider.getToken()).toBe(`ghs_${before + 2}`);
  });

  it("a refused JWT (wrong key) becomes OAuthError installation_token_refused with GitHub's message", async () => {
    const provider = new GithubAppTokenProvider(appMode, {
      appId: 7,
      privateKey: other.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      installationId: 42,
      installationTokenUrl: `${server.url}/app/installations/{installationId}/access_tokens`,
    });
    await expect(provider.getToken()).rejects.toMatchObject({
      code: "oauth_error",
      error: "installation_token_refused",
      status: 401,
      message: "installation token request answered HTTP 401: A JSON web token could not be decoded",
    });
  });
});
