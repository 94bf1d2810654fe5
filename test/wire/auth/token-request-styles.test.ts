/**
 * Token requests as providers really take them (issue #15): each encoding (form, JSON) and client
 * authentication (HTTP Basic, in the parameters) against a loopback token endpoint that accepts only
 * that one style; error codes read where the spec says; declared default scopes; and Shopify's
 * https://{shop}/admin/oauth/access_token over real HTTPS on loopback.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuth2Authorization } from "../../../runtime/auth/authorization.js";
import { ReauthorizationRequiredError } from "../../../runtime/auth/errors.js";
import { buildAuthorizationUrl, clientCredentialsRequest, tokenRequest } from "../../../runtime/auth/oauth2.js";
import { oauth2Mode, OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import { ConfigurationError } from "../../../runtime/errors/errors.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { shopifyDefinition as shopify } from "../../../generated/shopify/client.js";
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from "../../helpers/loopback-server.js";

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server?.close();
});

const CLIENT = { clientId: "cid", clientSecret: "cs/+=" };
const BASIC = `Basic ${Buffer.from("cid:cs%2F%2B%3D").toString("base64")}`;

function mode(overrides: Partial<OAuth2AuthDefinition> = {}): OAuth2AuthDefinition {
  return {
    type: "oauth2",
    authorizationUrl: "https://auth.example/authorize",
    tokenUrl: `${server.url}/token`,
    grants: ["clientCredentials", "refreshToken"],
    pkce: "none",
    tokenEndpointAuthMethod: "client_secret_basic",
    scopes: ["a", "b"],
    scopeSeparator: " ",
    authorizationParams: {},
    tokenResponse: { accessTokenPath: ["access_token"], refreshTokenPath: ["refresh_token"], expiresInPath: ["expires_in"] },
    refreshSkewMs: 60_000,
    header: "authorization",
    prefix: "Bearer ",
    ...overrides,
  };
}

type Style = { encoding: "form" | "json"; auth: "client_secret_basic" | "client_secret_post" };
const STYLES: Style[] = [
  { encoding: "form", auth: "client_secret_basic" },
  { encoding: "form", auth: "client_secret_post" },
  { encoding: "json", auth: "client_secret_basic" },
  { encoding: "json", auth: "client_secret_post" },
];
const label = (s: Style) => `${s.encoding} + ${s.auth}`;

/** The request's parameters when it is exactly in `style`, else undefined. */
function accepts(style: Style, request: RecordedRequest): Record<string, unknown> | undefined {
  const type = request.headers["content-type"] ?? "";
  let params: Record<string, unknown>;
  if (style.encoding === "json") {
    if (type !== "application/json") return undefined;
    params = JSON.parse(request.body) as Record<string, unknown>;
  } else {
    if (type !== "application/x-www-form-urlencoded") return undefined;
    params = Object.fromEntries(new URLSearchParams(request.body));
  }
  const basic = request.headers.authorization === BASIC;
  const inBody = params["client_id"] === CLIENT.clientId && params["client_secret"] === CLIENT.clientSecret;
  if (style.auth === "client_secret_basic" ? !basic || "client_secret" in params : !inBody || request.headers.authorization !== undefined)
    return undefined;
  return params;
}

/** A token endpoint that answers only `style`; anything else is invalid_client. */
function onlyStyle(style: Style): void {
  server.handle((request, response) => {
    const params = accepts(style, request);
    response.writeHead(params ? 200 : 401, { "content-type": "application/json" });
    response.end(
      JSON.stringify(
        params
          ? { access_token: `at-${String(params["grant_type"])}`, expires_in: 3600, scope: params["scope"] }
          : { error: "invalid_client" },
      ),
    );
  });
}

const styleMode = (style: Style) =>
  mode({ tokenEndpointAuthMethod: style.auth, ...(style.encoding === "json" && { tokenRequestEncoding: "json" as const }) });

describe("token request styles, each against an endpoint that accepts only that style", () => {
  for (const style of STYLES) {
    it(`${label(style)}: client credentials obtain a token; the other three styles are refused`, async () => {
      onlyStyle(style);
      const manager = new OAuth2TokenManager(styleMode(style), { ...CLIENT, grant: "clientCredentials", scopes: ["a"] });
      expect(await manager.getToken()).toBe("at-client_credentials");
      for (const other of STYLES.filter((s) => s !== style)) {
        const refused = new OAuth2TokenManager(styleMode(other), { ...CLIENT, grant: "clientCredentials" });
        await expect(refused.getToken()).rejects.toMatchObject({ code: "oauth_error", error: "invalid_client" });
      }
    });

    it(`${label(style)}: a refresh sends grant_type and refresh_token in the same encoding`, async () => {
      onlyStyle(style);
      const store = new MemoryTokenStore();
      await store.set("k", { accessToken: "old", refreshToken: "rt-1", expiresAt: 0 });
      const manager = new OAuth2TokenManager(styleMode(style), { ...CLIENT, store, key: "k" });
      expect(await manager.getToken()).toBe("at-refresh_token");
      expect(accepts(style, server.requests.at(-1)!)).toMatchObject({ grant_type: "refresh_token", refresh_token: "rt-1" });
    });
  }

  it("JSON token requests carry the parameters as a JSON object, never form-encoded", () => {
    const request = tokenRequest(styleMode({ encoding: "json", auth: "client_secret_post" }), CLIENT, { grant_type: "x", scope: "a b" });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({ grant_type: "x", scope: "a b", client_id: "cid", client_secret: "cs/+=" });
  });
});

describe("error codes where the spec says (tokenResponse.errorPath, invalidGrantCodes)", () => {
  const hubspotLike = () =>
    mode({
      tokenEndpointAuthMethod: "client_secret_post",
      tokenResponse: {
        accessTokenPath: ["access_token"],
        refreshTokenPath: ["refresh_token"],
        expiresInPath: ["expires_in"],
        errorPath: ["status"],
        errorDescriptionPath: ["message"],
        invalidGrantCodes: ["BAD_REFRESH_TOKEN"],
      },
    });

  it("a refused refresh token reported at $.status becomes ReauthorizationRequiredError, and is not sent again", async () => {
    server.handle((_request, response) => {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "BAD_REFRESH_TOKEN", message: "missing or invalid refresh token", correlationId: "c-1" }));
    });
    const store = new MemoryTokenStore();
    await store.set("k", { accessToken: "old", refreshToken: "rt-dead", expiresAt: 0 });
    const manager = new OAuth2TokenManager(hubspotLike(), { ...CLIENT, store, key: "k" });
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect((error as Error).cause).toMatchObject({
      error: "invalid_grant",
      message: "token endpoint answered BAD_REFRESH_TOKEN (HTTP 400): missing or invalid refresh token",
    });
    const sent = server.requests.length;
    await expect(manager.getToken()).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(server.requests).toHaveLength(sent);
  });

  const freeTextCodes = () =>
    mode({
      tokenEndpointAuthMethod: "client_secret_basic",
      tokenResponse: {
        accessTokenPath: ["access_token"],
        refreshTokenPath: ["refresh_token"],
        expiresInPath: ["expires_in"],
        errorPath: ["reason"],
        invalidGrantCodes: ["Invalid Token!"],
      },
    });
  const answerReason = (reason: string) =>
    server.handle((_request, response) => {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ reason, error: "invalid_request" }));
    });

  it("a listed code that is free text ('Invalid Token!' at $.reason) matches exactly: re-authorization, the token not sent again", async () => {
    answerReason("Invalid Token!");
    const store = new MemoryTokenStore();
    await store.set("k", { accessToken: "old", refreshToken: "rt-dead", expiresAt: 0 });
    const manager = new OAuth2TokenManager(freeTextCodes(), { ...CLIENT, store, key: "k" });
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect((error as Error).cause).toMatchObject({
      error: "invalid_grant",
      message: 'token endpoint answered "Invalid Token!" (HTTP 400)',
    });
    const sent = server.requests.length;
    await expect(manager.getToken()).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(server.requests).toHaveLength(sent);
  });

  it("free text at errorPath that the spec does not list (another case, more text) is invalid_response and never echoed", async () => {
    for (const reason of ["invalid token!", "Invalid Token! ", "Invalid Token! <script>alert(1)</script>"]) {
      answerReason(reason);
      const store = new MemoryTokenStore();
      await store.set("k", { accessToken: "old", refreshToken: "rt", expiresAt: 0 });
      const manager = new OAuth2TokenManager(freeTextCodes(), { ...CLIENT, store, key: "k" });
      const error = await manager.getToken().catch((e: unknown) => e);
      expect(error, reason).toMatchObject({
        error: "invalid_response",
        message: expect.stringContaining("answered invalid_response (HTTP 400)"),
      });
      expect((error as Error).message).not.toContain(reason.trim());
    }
  });

  it("without errorPath the same answer is only an invalid_response, not a re-authorization", async () => {
    server.handle((_request, response) => {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "BAD_REFRESH_TOKEN" }));
    });
    const store = new MemoryTokenStore();
    await store.set("k", { accessToken: "old", refreshToken: "rt", expiresAt: 0 });
    const manager = new OAuth2TokenManager(mode({ tokenEndpointAuthMethod: "client_secret_post" }), { ...CLIENT, store, key: "k" });
    await expect(manager.getToken()).rejects.toMatchObject({ error: "invalid_response" });
  });
});

describe("defaultScopes", () => {
  it("are sent when the caller names none, and the caller's scopes replace them", () => {
    const withDefaults = mode({ defaultScopes: ["a", "b"] });
    const query = (scopes?: string[]) =>
      new URL(buildAuthorizationUrl(withDefaults, CLIENT, { redirectUri: "http://x/", state: "s", ...(scopes && { scopes }) }))
        .searchParams;
    expect(query().get("scope")).toBe("a b");
    expect(query(["b"]).get("scope")).toBe("b");
    expect(new URLSearchParams(clientCredentialsRequest(withDefaults, CLIENT).body).get("scope")).toBe("a b");
    expect(new URLSearchParams(clientCredentialsRequest(mode(), CLIENT).body).has("scope")).toBe(false);
  });
});

describe("Shopify's {shop} token URL (specs/shopify.yaml) over HTTPS on loopback", () => {
  const cert = readFileSync(new URL("../../fixtures/tls/shop.cert.pem", import.meta.url));
  const key = readFileSync(new URL("../../fixtures/tls/shop.key.pem", import.meta.url));
  let https: Server;
  let agent: Agent;
  const seen: { host: string | undefined; path: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    https = createServer({ cert, key }, (request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        seen.push({ host: request.headers.host, path: request.url, body });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ access_token: "shpat_1", scope: "read_products" }));
      });
    });
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    // example.myshopify.com resolves to 127.0.0.1, and the agent trusts this certificate alone.
    agent = new Agent({
      connect: {
        ca: cert,
        lookup: ((_host: string, options: { all?: boolean }, callback: (error: null, address: unknown, family?: number) => void) =>
          options.all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4)) as never,
      },
    });
  });
  afterAll(async () => {
    await agent?.close();
    await new Promise((resolve) => https?.close(resolve));
  });

  it("without variables the mode is refused with a ConfigurationError naming {shop}, not a TypeError", () => {
    const raw = oauth2Mode(shopify, "oauth");
    expect(() => clientCredentialsRequest(raw, CLIENT)).toThrowError(ConfigurationError);
    expect(() => clientCredentialsRequest(raw, CLIENT)).toThrowError("tokenUrl needs the variable {shop}: pass variables: { shop: ... }");
  });

  it("a shop that does not match the spec's pattern is refused before any request", () => {
    expect(() => oauth2Mode(shopify, "oauth", { shop: "evil.example/x" })).toThrowError(ConfigurationError);
  });

  it("the authorization URL and the token exchange go to the shop's own host", async () => {
    const { port } = https.address() as AddressInfo;
    const shop = "example.myshopify.com";
    // The server listens on a random port: only the port is added to the URL the runtime built.
    const fetchVia: typeof fetch = (input, init) =>
      undiciFetch(String(input).replace(`https://${shop}/`, `https://${shop}:${port}/`), {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      }) as unknown as Promise<Response>;
    const flow = new OAuth2Authorization(oauth2Mode(shopify, "oauth", { shop }), {
      ...CLIENT,
      redirectUri: "http://127.0.0.1/callback",
      fetch: fetchVia,
    });
    const { url, state } = await flow.start();
    expect(url.startsWith(`https://${shop}/admin/oauth/authorize?`)).toBe(true);
    const tokens = await flow.finish(`http://127.0.0.1/callback?code=c1&state=${state}&shop=${shop}`);
    expect(tokens.accessToken).toBe("shpat_1");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ host: `${shop}:${port}`, path: "/admin/oauth/access_token" });
    expect(new URLSearchParams(seen[0]!.body).get("code")).toBe("c1");
  });
});
