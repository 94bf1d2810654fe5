/**
 * The mock's authorization server, built from the spec's oauth2 and githubApp auth modes: the
 * authorization endpoint (code, PKCE S256), the token endpoint (authorization_code, refresh_token with
 * rotation, client_credentials) with the client authentication the spec declares, revocation, and
 * GitHub-style installation tokens. Answers put the tokens at the paths the spec's tokenResponse names.
 * A request without the extra parameters its grant declares (tokenRequestParams: Shopify's expiring=1)
 * gets what the provider gives it: an access token that never expires, with no refresh token.
 * Every token it issues is tracked, so the API side can refuse one that expired or was rotated out.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { GithubAppAuthDefinition, OAuth2AuthDefinition, ProviderDefinition } from "@switchboard/runtime/contract";

export interface MockOAuthClient {
  readonly clientId: string;
  /** Absent: a public client (PKCE, no secret). */
  readonly clientSecret?: string;
  /** Redirect URIs it may use. @default any */
  readonly redirectUris?: readonly string[];
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface IssuedToken {
  readonly expiresAt: number;
  revoked: boolean;
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge?: string;
  readonly scope?: string;
  readonly mode: string;
}

type Route =
  | { readonly kind: "authorize" | "token" | "revoke"; readonly mode: string; readonly definition: OAuth2AuthDefinition }
  | { readonly kind: "installation"; readonly pattern: RegExp; readonly definition: GithubAppAuthDefinition };

const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;

export class MockOAuthServer {
  readonly #routes: Route[] = [];
  readonly #clients: readonly MockOAuthClient[] | undefined;
  readonly #clock: { now(): number };
  readonly #lifetimeMs: number;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #refresh = new Map<string, { clientId: string; mode: string; used: boolean; access: string }>();
  readonly #codes = new Map<string, PendingCode>();

  constructor(
    definition: ProviderDefinition,
    options: { clock: { now(): number }; tokenLifetimeMs: number; clients?: readonly MockOAuthClient[] },
  ) {
    this.#clients = options.clients;
    this.#clock = options.clock;
    this.#lifetimeMs = options.tokenLifetimeMs;
    for (const [mode, auth] of Object.entries(definition.auth.modes)) {
      if (auth.type === "oauth2") {
        if (auth.authorizationUrl !== undefined)
          this.#routes.push({ kind: "authorize", mode, definition: auth, ...pathOf(auth.authorizationUrl) });
        this.#routes.push({ kind: "token", mode, definition: auth, ...pathOf(auth.tokenUrl) });
        if (auth.revocationUrl !== undefined) this.#routes.push({ kind: "revoke", mode, definition: auth, ...pathOf(auth.revocationUrl) });
      } else if (auth.type === "githubApp") {
        const template = new URL(auth.installationTokenUrl.replace(/\{([^{}]+)\}/g, "__$1__")).pathname;
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/__[^_/]+__/g, "[^/]+")}$`);
        this.#routes.push({ kind: "installation", pattern, definition: auth });
      }
    }
  }

  /** "valid" / "expired" for a token this server issued, "unknown" otherwise. */
  tokenState(value: string): "valid" | "expired" | "unknown" {
    const issued = this.#tokens.get(value);
    if (issued === undefined) return "unknown";
    return issued.revoked || issued.expiresAt <= this.#clock.now() ? "expired" : "valid";
  }

  /** Marks one issued token (or all of them) as expired. */
  expire(value?: string): void {
    for (const [key, issued] of this.#tokens) if (value === undefined || key === value) issued.revoked = true;
  }

  /** Answers the request when it is for one of the auth endpoints; undefined otherwise. */
  handle(method: string, url: URL, headers: IncomingMessage["headers"], raw: string): { operation: string; answer: Answer } | undefined {
    for (const route of this.#routes) {
      if (route.kind === "installation") {
        if (method === "POST" && route.pattern.test(url.pathname))
          return { operation: "app.installationToken", answer: this.#installation(headers) };
        continue;
      }
      if ((route as { path?: string }).path !== url.pathname) continue;
      if (route.kind === "authorize" && method === "GET")
        return { operation: "oauth.authorize", answer: this.#authorize(route.mode, route.definition, url) };
      if (route.kind === "token" && method === "POST")
        return { operation: "oauth.token", answer: this.#token(route.mode, route.definition, headers, tokenParams(headers, raw)) };
      if (route.kind === "revoke" && method === "POST")
        return { operation: "oauth.revoke", answer: this.#revoke(new URLSearchParams(raw)) };
    }
    return undefined;
  }

  #client(clientId: string | null): MockOAuthClient | undefined {
    if (clientId === null || clientId === "") return undefined;
    if (this.#clients === undefined) return { clientId };
    return this.#clients.find((c) => c.clientId === clientId);
  }

  #authorize(mode: string, definition: OAuth2AuthDefinition, url: URL): Answer {
    const q = url.searchParams;
    const client = this.#client(q.get("client_id"));
    const redirectUri = q.get("redirect_uri");
    if (client === undefined || redirectUri === null || (client.redirectUris !== undefined && !client.redirectUris.includes(redirectUri)))
      return oauthError(400, "invalid_request", "unknown client_id or redirect_uri not registered");
    const back = new URL(redirectUri);
    const state = q.get("state");
    if (state !== null) back.searchParams.set("state", state);
    const challenge = q.get("code_challenge");
    const problem =
      q.get("response_type") !== "code"
        ? "response_type must be code"
        : challenge === null && definition.pkce === "required"
          ? "code_challenge is required"
          : challenge !== null && q.get("code_challenge_method") !== "S256"
            ? "code_challenge_method must be S256"
            : undefined;
    if (problem !== undefined) {
      back.searchParams.set("error", "invalid_request");
      back.searchParams.set("error_description", problem);
      return { status: 302, headers: { location: back.toString() }, body: "" };
    }
    const code = token("code_");
    const scope = q.get("scope");
    this.#codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      mode,
      ...(challenge !== null && { challenge }),
      ...(scope !== null && { scope }),
    });
    back.searchParams.set("code", code);
    return { status: 302, headers: { location: back.toString() }, body: "" };
  }

  #token(mode: string, definition: OAuth2AuthDefinition, headers: IncomingMessage["headers"], params: URLSearchParams): Answer {
    let clientId = params.get("client_id");
    let secret = params.get("client_secret");
    const authorization = String(headers.authorization ?? "");
    if (authorization.startsWith("Basic ")) {
      const [id, pass] = Buffer.from(authorization.slice(6), "base64")
        .toString("utf8")
        .split(":")
        .map((p) => decodeURIComponent(p.replace(/\+/g, " ")));
      clientId = id ?? null;
      secret = pass ?? null;
    }
    const client = this.#client(clientId);
    if (client === undefined) return oauthError(401, "invalid_client", "unknown client");
    const method = definition.tokenEndpointAuthMethod;
    if (method !== "none") {
      const sentBasic = authorization.startsWith("Basic ");
      if (method === "client_secret_basic" && !sentBasic && secret !== null)
        return oauthError(401, "invalid_client", "client credentials must be sent with HTTP Basic");
      if (method === "client_secret_post" && sentBasic)
        return oauthError(401, "invalid_client", "client credentials must be sent in the body");
      const wanted = client.clientSecret;
      const publicClient = this.#clients !== undefined && wanted === undefined;
      if (!publicClient && (secret === null || secret === "" || (wanted !== undefined && secret !== wanted)))
        return oauthError(401, "invalid_client", "client authentication failed");
    }
    const grant = params.get("grant_type");
    const accepts = (name: OAuth2AuthDefinition["grants"][number]) => definition.grants.includes(name);
    if (grant === "authorization_code" && accepts("authorizationCode")) {
      const code = params.get("code") ?? "";
      const pending = this.#codes.get(code);
      this.#codes.delete(code);
      if (pending === undefined || pending.clientId !== client.clientId || pending.mode !== mode)
        return oauthError(400, "invalid_grant", "the code is unknown, used or for another client");
      if (params.get("redirect_uri") !== pending.redirectUri) return oauthError(400, "invalid_grant", "redirect_uri does not match");
      const verifier = params.get("code_verifier");
      if (pending.challenge !== undefined) {
        if (verifier === null || createHash("sha256").update(verifier).digest("base64url") !== pending.challenge)
          return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge");
      }
      if (!asked(definition, "authorizationCode", params))
        return this.#issue(definition, client.clientId, mode, false, pending.scope, false);
      return this.#issue(definition, client.clientId, mode, accepts("refreshToken"), pending.scope);
    }
    if (grant === "refresh_token" && accepts("refreshToken")) {
      const presented = params.get("refresh_token") ?? "";
      const stored = this.#refresh.get(presented);
      if (stored === undefined || stored.used || stored.clientId !== client.clientId || stored.mode !== mode)
        return oauthError(400, "invalid_grant", "the refresh token is unknown, rotated out or for another client");
      // Rotation: the old refresh token and its access token stop working.
      stored.used = true;
      const old = this.#tokens.get(stored.access);
      if (old) old.revoked = true;
      const expiring = asked(definition, "refreshToken", params);
      return this.#issue(definition, client.clientId, mode, expiring, undefined, expiring);
    }
    if (grant === "client_credentials" && accepts("clientCredentials"))
      return this.#issue(
        definition,
        client.clientId,
        mode,
        false,
        params.get("scope") ?? undefined,
        asked(definition, "clientCredentials", params),
      );
    return oauthError(400, "unsupported_grant_type", `grant_type ${JSON.stringify(grant)} is not supported here`);
  }

  /**
   * A token answer; `expiring` false issues a token that never expires (what a provider gives a request
   * without the tokenRequestParams that ask for expiring ones, like Shopify's legacy offline tokens).
   */
  #issue(
    definition: OAuth2AuthDefinition,
    clientId: string,
    mode: string,
    withRefresh: boolean,
    scope: string | undefined,
    expiring = true,
  ): Answer {
    const access = token("mock_at_");
    this.#tokens.set(access, { expiresAt: expiring ? this.#clock.now() + this.#lifetimeMs : Number.POSITIVE_INFINITY, revoked: false });
    const body: Record<string, unknown> = { token_type: "bearer" };
    const paths = definition.tokenResponse;
    set(body, paths.accessTokenPath, access);
    if (expiring) set(body, paths.expiresInPath, Math.floor(this.#lifetimeMs / 1000));
    if (withRefresh) {
      const refresh = token("mock_rt_");
      this.#refresh.set(refresh, { clientId, mode, used: false, access });
      set(body, paths.refreshTokenPath, refresh);
    }
    if (scope !== undefined) body.scope = scope;
    // A body marker the spec reads as failure (Slack's ok: false) is written as its opposite.
    const marker = paths.errorWhen;
    if (marker !== undefined && typeof marker.equals === "boolean") set(body, marker.path, !marker.equals);
    return { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(body) };
  }

  #revoke(params: URLSearchParams): Answer {
    const value = params.get("token") ?? "";
    const issued = this.#tokens.get(value);
    if (issued) issued.revoked = true;
    const refresh = this.#refresh.get(value);
    if (refresh) refresh.used = true;
    return { status: 200, headers: {}, body: "" };
  }

  #installation(headers: IncomingMessage["headers"]): Answer {
    const authorization = String(headers.authorization ?? "");
    const jwt = authorization.startsWith("Bearer ") ? authorization.slice(7) : "";
    const parts = jwt.split(".");
    let header: { alg?: unknown } | undefined;
    try {
      header = JSON.parse(Buffer.from(parts[0] ?? "", "base64url").toString("utf8")) as { alg?: unknown };
    } catch {
      header = undefined;
    }
    if (parts.length !== 3 || header?.alg !== "RS256")
      return {
        status: 401,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: "A JSON web token could not be decoded", status: "401" }),
      };
    const value = token("ghs_mock");
    const expiresAt = this.#clock.now() + this.#lifetimeMs;
    this.#tokens.set(value, { expiresAt, revoked: false });
    return {
      status: 201,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: value, expires_at: new Date(expiresAt).toISOString() }),
    };
  }
}

/**
 * Whether a token request carries every extra parameter the spec declares for its grant
 * (tokenRequestParams); a grant that declares none is always "asked".
 */
function asked(
  definition: OAuth2AuthDefinition,
  grant: keyof NonNullable<OAuth2AuthDefinition["tokenRequestParams"]>,
  params: URLSearchParams,
): boolean {
  const wanted = definition.tokenRequestParams?.[grant] ?? {};
  return Object.entries(wanted).every(([name, value]) => params.get(name) === value);
}

/** A token request's parameters, form-encoded or (tokenRequestEncoding json) a JSON object of strings. */
function tokenParams(headers: IncomingMessage["headers"], raw: string): URLSearchParams {
  if (!/application\/json/i.test(String(headers["content-type"] ?? ""))) return new URLSearchParams(raw);
  const params = new URLSearchParams();
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === "object" && parsed !== null)
      for (const [name, value] of Object.entries(parsed)) if (typeof value === "string") params.set(name, value);
  } catch {
    // Not JSON: no parameters, so the request fails as malformed.
  }
  return params;
}

/** The path of an endpoint URL; {placeholders} (Shopify's https://{shop}/...) stand for any value. */
function pathOf(url: string): { path: string } {
  return { path: new URL(url.replace(/\{[^{}]+\}/g, "placeholder")).pathname };
}

function set(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  if (path.length === 0) return;
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const key = String(segment);
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[String(path[path.length - 1])] = value;
}

function oauthError(status: number, error: string, description: string): Answer {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({ error, error_description: description }) };
}
