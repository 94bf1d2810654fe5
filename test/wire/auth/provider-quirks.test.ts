/**
 * Token endpoint quirks declared in the specs, against a loopback token endpoint that answers the way
 * the provider does: GitHub's form-encoded answer unless Accept asks for JSON, Slack's HTTP 200 with
 * ok: false and its nested user token, answers without expires_in, and client authentication methods.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OAuthError } from "../../../runtime/auth/errors.js";
import { authorizationCodeRequest, buildAuthorizationUrl, processTokenResponse, sendTokenRequest } from "../../../runtime/auth/oauth2.js";
import { OAuth2TokenManager } from "../../../runtime/auth/token-manager.js";
import { MemoryTokenStore } from "../../../runtime/auth/token-store.js";
import type { OAuth2AuthDefinition } from "../../../runtime/definition.js";
import { githubDefinition as github } from "../../../generated/github/client.js";
import { slackDefinition as slack } from "../../../generated/slack/client.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server?.close();
});

/** The spec's oauth2 mode with its token URL pointed at the loopback server. */
function local(mode: unknown): OAuth2AuthDefinition {
  const m = mode as OAuth2AuthDefinition;
  expect(m.type).toBe("oauth2");
  return { ...m, tokenUrl: `${server.url}${new URL(m.tokenUrl).pathname}` };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const client = { clientId: "cid", clientSecret: "csecret" };
const NOW = 1_700_000_000_000;

describe("GitHub (specs/github.yaml, mode oauth)", () => {
  const mode = () => local(github.auth.modes["oauth"]);

  it("sends Accept: application/json and client credentials in the body (client_secret_post)", async () => {
    server.handle((request, response) => {
      const json = request.headers.accept === "application/json";
      response.writeHead(200, { "content-type": json ? "application/json" : "application/x-www-form-urlencoded" });
      response.end(
        json
          ? JSON.stringify({ access_token: "gho_json", token_type: "bearer", scope: "repo" })
          : "access_token=gho_form&token_type=bearer",
      );
    });
    const response = await sendTokenRequest(
      fetch,
      authorizationCodeRequest(mode(), client, { code: "c1", redirectUri: "http://127.0.0.1/cb" }),
    );
    const tokens = processTokenResponse(mode(), response, NOW);
    expect(tokens).toEqual({ accessToken: "gho_json", scope: "repo" }); // OAuth app tokens never expire
    const body = new URLSearchParams(server.requests.at(-1)!.body);
    expect(body.get("client_id")).toBe("cid");
    expect(body.get("client_secret")).toBe("csecret");
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("reads GitHub's form-encoded answer (sent when Accept is missing), expiring user tokens included", async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
      response.end(
        "access_token=ghu_abc&expires_in=28800&refresh_token=ghr_def&refresh_token_expires_in=15811200&scope=&token_type=bearer",
      );
    });
    const withoutAccept = { ...mode(), tokenResponse: { ...mode().tokenResponse, accept: "*/*" } };
    const response = await sendTokenRequest(
      fetch,
      authorizationCodeRequest(withoutAccept, client, { code: "c", redirectUri: "http://x/" }),
    );
    expect(processTokenResponse(withoutAccept, response, NOW)).toEqual({
      accessToken: "ghu_abc",
      refreshToken: "ghr_def",
      expiresAt: NOW + 28_800_000,
      scope: "",
    });
  });

  it("turns GitHub's HTTP 200 error answer (error=bad_verification_code) into OAuthError", async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." }));
    });
    const response = await sendTokenRequest(fetch, authorizationCodeRequest(mode(), client, { code: "c", redirectUri: "http://x/" }));
    const error = catchError(() => processTokenResponse(mode(), response, NOW));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: "oauth_error",
      error: "bad_verification_code",
      status: 200,
      message: "token endpoint answered bad_verification_code (HTTP 200): The code passed is incorrect or expired.",
    });
  });

  it("builds GitHub's authorization URL with S256 PKCE", () => {
    const url = new URL(
      buildAuthorizationUrl(mode(), client, {
        redirectUri: "http://127.0.0.1:5000/callback",
        state: "st",
        codeChallenge: "ch",
        scopes: ["repo", "read:org"],
      }),
    );
    expect(url.origin + url.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "cid",
      redirect_uri: "http://127.0.0.1:5000/callback",
      scope: "repo read:org",
      state: "st",
      code_challenge: "ch",
      code_challenge_method: "S256",
    });
  });
});

describe("Slack (specs/slack.yaml)", () => {
  it("turns HTTP 200 with ok: false into OAuthError with Slack's error code", async () => {
    const mode = local(slack.auth.modes["oauthBot"]);
    server.handle((_request, response) => {
      response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify({ ok: false, error: "invalid_code" }));
    });
    const response = await sendTokenRequest(fetch, authorizationCodeRequest(mode, client, { code: "c", redirectUri: "http://x/" }));
    expect(() => processTokenResponse(mode, response, NOW)).toThrowError(
      expect.objectContaining({ code: "oauth_error", error: "invalid_code", message: "token endpoint answered invalid_code (HTTP 200)" }),
    );
    // client_secret_basic: the secret goes in the Authorization header only.
    const sent = server.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from("cid:csecret").toString("base64")}`);
    expect(new URLSearchParams(sent.body).has("client_secret")).toBe(false);
  });

  it("an ok: false answer without an error field still fails (errorWhen from the spec)", () => {
    const mode = local(slack.auth.modes["oauthBot"]);
    const answer = {
      status: 200,
      headers: new Headers({ "content-type": "application/json" }),
      body: '{"ok":false,"access_token":"xoxb-x"}',
    };
    expect(() => processTokenResponse(mode, answer, NOW)).toThrowError(expect.objectContaining({ error: "invalid_response" }));
  });

  const slackAnswer = JSON.stringify({
    ok: true,
    access_token: "xoxb-bot",
    token_type: "bot",
    scope: "chat:write,channels:read",
    bot_user_id: "U0KRQLJ9H",
    app_id: "A0KRD7HC3",
    authed_user: { id: "U1", scope: "search:read", access_token: "xoxp-user", token_type: "user" },
    team: { id: "T1", name: "Slack Softball Team" },
  });

  it("reads the bot token at the top and, for the user mode, the nested authed_user.access_token; keeps the spec's fields", () => {
    const answer = { status: 200, headers: new Headers({ "content-type": "application/json" }), body: slackAnswer };
    expect(processTokenResponse(local(slack.auth.modes["oauthBot"]), answer, NOW)).toEqual({
      accessToken: "xoxb-bot",
      scope: "chat:write,channels:read",
      fields: { appId: "A0KRD7HC3", botUserId: "U0KRQLJ9H", team: { id: "T1", name: "Slack Softball Team" } },
    });
    const user = processTokenResponse(local(slack.auth.modes["oauthUser"]), answer, NOW);
    expect(user.accessToken).toBe("xoxp-user");
    // The user mode keeps the workspace and the user's id, never the authed_user object that holds the token.
    expect(user.fields).toEqual({ team: { id: "T1", name: "Slack Softball Team" }, userId: "U1" });
  });

  it("a token without expires_in never expires: OAuth2TokenManager does not refresh it, however late", async () => {
    const mode = local(slack.auth.modes["oauthBot"]);
    const store = new MemoryTokenStore();
    await store.set("k", { accessToken: "xoxb-bot" });
    const manager = new OAuth2TokenManager(mode, { ...client, store, key: "k", now: () => Number.MAX_SAFE_INTEGER });
    const seen = server.requests.length;
    expect(await manager.getToken()).toBe("xoxb-bot");
    expect(server.requests.length).toBe(seen);
  });

  it("scopes are joined with Slack's comma separator", () => {
    const mode = local(slack.auth.modes["oauthBot"]);
    const url = new URL(
      buildAuthorizationUrl(mode, client, { redirectUri: "http://127.0.0.1/cb", state: "s", scopes: ["chat:write", "channels:read"] }),
    );
    expect(url.searchParams.get("scope")).toBe("chat:write,channels:read");
  });
});

describe("processTokenResponse", () => {
  const base = (extra: Partial<OAuth2AuthDefinition> = {}): OAuth2AuthDefinition => ({
    ...(local(github.auth.modes["oauth"]) as OAuth2AuthDefinition),
    ...extra,
  });
  const json = (body: unknown, status = 200) => ({
    status,
    headers: new Headers({ "content-type": "application/json" }),
    body: JSON.stringify(body),
  });

  it.each([
    {
      given: "expires_in missing, defaultTokenLifetime 1 h",
      mode: { defaultTokenLifetimeMs: 3_600_000 },
      body: { access_token: "a" },
      want: { accessToken: "a", expiresAt: NOW + 3_600_000 },
    },
    {
      given: "expires_in as a string",
      mode: {},
      body: { access_token: "a", expires_in: "60" },
      want: { accessToken: "a", expiresAt: NOW + 60_000 },
    },
    {
      given: "a refresh answer without a refresh token keeps the previous one",
      mode: {},
      body: { access_token: "b" },
      previous: { accessToken: "a", refreshToken: "r1" },
      want: { accessToken: "b", refreshToken: "r1" },
    },
  ])("$given", ({ mode, body, previous, want }) => {
    expect(processTokenResponse(base(mode), json(body), NOW, previous)).toEqual(want);
  });

  it.each([
    { given: "a 400 invalid_grant", response: json({ error: "invalid_grant" }, 400), error: "invalid_grant" },
    {
      given: "a 500 HTML page",
      response: { status: 500, headers: new Headers({ "content-type": "text/html" }), body: "<h1>oops</h1>" },
      error: "invalid_response",
    },
    { given: "no access token", response: json({ token_type: "bearer" }), error: "invalid_response" },
    { given: "an error code that could carry anything", response: json({ error: "x y <script>" }, 400), error: "invalid_response" },
  ])("throws OAuthError for $given", ({ response, error }) => {
    expect(() => processTokenResponse(base(), response, NOW)).toThrowError(expect.objectContaining({ code: "oauth_error", error }));
  });

  it("never puts a token from the answer into the error message", () => {
    const response = json({ ok: false, access_token: "super-secret-token", error: "nope" });
    let thrown: unknown;
    try {
      processTokenResponse(base(), response, NOW);
    } catch (error) {
      thrown = error;
    }
    // The unreachable() this replaces sat inside the try, so the catch swallowed its failure (issue 13).
    expect(thrown).toMatchObject({ code: "oauth_error" });
    expect((thrown as Error).message).not.toContain("super-secret-token");
  });
});
