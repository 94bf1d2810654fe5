/**
 * OAuth 2.0 protocol steps as pairs of functions: one builds the request from the spec's data, one
 * interprets the answer. Interpretation needs no I/O, so every provider quirk is testable as data:
 * GitHub's form-encoded answer, Slack's HTTP 200 with `ok: false`, tokens at nested paths, a missing
 * `expires_in`, tokens that never expire.
 */
import type { OAuth2AuthDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { readPath } from "../internal/json-path.js";
import { bodyMatches } from "../client/match.js";
import { fillPlaceholders } from "../client/variables.js";
import { OAuthError } from "./errors.js";
import { utf8 } from "./pkce.js";
import type { StoredTokens, TokenFieldValue } from "./token-store.js";

/** The registered OAuth client. */
export interface OAuth2Client {
  readonly clientId: string;
  /** Absent for public clients (tokenEndpointAuthMethod none). */
  readonly clientSecret?: string;
}

/** A token endpoint request, ready for fetch. */
export interface TokenHttpRequest {
  readonly url: string;
  readonly method: "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What processTokenResponse needs from an HTTP answer. */
export interface TokenHttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: string;
}

export interface AuthorizationUrlParams {
  readonly redirectUri: string;
  readonly state: string;
  /** S256 challenge; omitted when the spec says pkce: none. */
  readonly codeChallenge?: string;
  /** @default the spec's defaultScopes (none when it declares none) */
  readonly scopes?: readonly string[];
  /** More parameters; they override the spec's authorizationParams. */
  readonly params?: Readonly<Record<string, string>>;
}

/** The authorization URL: the spec's endpoint and extra parameters, scopes joined by the spec's separator. */
export function buildAuthorizationUrl(mode: OAuth2AuthDefinition, client: OAuth2Client, params: AuthorizationUrlParams): string {
  if (mode.authorizationUrl === undefined) throw new ConfigurationError("this auth mode declares no authorizationUrl");
  checkClient(client);
  const url = new URL(endpoint(mode.authorizationUrl, "authorizationUrl"));
  const query = url.searchParams;
  query.set("response_type", "code");
  query.set("client_id", client.clientId);
  query.set("redirect_uri", params.redirectUri);
  const scopes = params.scopes ?? mode.defaultScopes;
  if (scopes && scopes.length > 0) query.set("scope", scopes.join(mode.scopeSeparator));
  query.set("state", params.state);
  if (params.codeChallenge !== undefined) {
    query.set("code_challenge", params.codeChallenge);
    query.set("code_challenge_method", "S256");
  }
  for (const [name, value] of Object.entries({ ...mode.authorizationParams, ...params.params })) query.set(name, value);
  return url.toString();
}

/**
 * The mode with its URLs' {name} placeholders filled (Shopify's https://{shop}/admin/oauth/access_token).
 * Values are percent-encoded as one URL component each; call it once, with the values the client's
 * base URL was given (see oauth2Mode for the spec's pattern checks).
 */
export function withUrlVariables(mode: OAuth2AuthDefinition, values: Readonly<Record<string, string>>): OAuth2AuthDefinition {
  const fill = (url: string | undefined) => (url === undefined ? undefined : fillPlaceholders(url, values));
  const authorizationUrl = fill(mode.authorizationUrl);
  const revocationUrl = fill(mode.revocationUrl);
  return {
    ...mode,
    tokenUrl: fillPlaceholders(mode.tokenUrl, values),
    ...(authorizationUrl !== undefined && { authorizationUrl }),
    ...(revocationUrl !== undefined && { revocationUrl }),
  };
}

/**
 * A token request with the spec's encoding (form or JSON), client authentication (HTTP Basic, in the
 * parameters, or none), Accept header and tokenRequestHeaders. The grant builders below add the spec's
 * tokenRequestParams for their grant first, so the protocol's own parameters always win; the headers
 * the protocol needs win over tokenRequestHeaders likewise.
 */
export function tokenRequest(mode: OAuth2AuthDefinition, client: OAuth2Client, params: Readonly<Record<string, string>>): TokenHttpRequest {
  checkClientAuthentication(mode, client);
  const json = mode.tokenRequestEncoding === "json";
  const headers: Record<string, string> = {
    ...mode.tokenRequestHeaders,
    "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
    accept: mode.tokenResponse.accept ?? "application/json",
  };
  const fields: Record<string, string> = { ...params };
  if (mode.tokenEndpointAuthMethod === "client_secret_basic" && client.clientSecret !== undefined) {
    // RFC 6749 2.3.1: both parts form-urlencoded before base64.
    const user = `${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`;
    headers.authorization = `Basic ${btoa(String.fromCharCode(...utf8(user)))}`;
  } else {
    fields.client_id = client.clientId;
    if (mode.tokenEndpointAuthMethod !== "none" && client.clientSecret !== undefined) fields.client_secret = client.clientSecret;
  }
  const body = json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  return { url: endpoint(mode.tokenUrl, "tokenUrl"), method: "POST", headers, body };
}

export function authorizationCodeRequest(
  mode: OAuth2AuthDefinition,
  client: OAuth2Client,
  params: { readonly code: string; readonly redirectUri: string; readonly codeVerifier?: string | undefined },
): TokenHttpRequest {
  if (params.code === "") throw new OAuthError("invalid_request", "the authorization code is empty");
  return tokenRequest(mode, client, {
    ...mode.tokenRequestParams?.authorizationCode,
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: params.redirectUri,
    ...(params.codeVerifier !== undefined && { code_verifier: params.codeVerifier }),
  });
}

export function refreshTokenRequest(mode: OAuth2AuthDefinition, client: OAuth2Client, refreshToken: string): TokenHttpRequest {
  return tokenRequest(mode, client, { ...mode.tokenRequestParams?.refreshToken, grant_type: "refresh_token", refresh_token: refreshToken });
}

/** Client credentials; `scopes` @default the spec's defaultScopes. */
export function clientCredentialsRequest(mode: OAuth2AuthDefinition, client: OAuth2Client, scopes?: readonly string[]): TokenHttpRequest {
  const asked = scopes ?? mode.defaultScopes;
  return tokenRequest(mode, client, {
    ...mode.tokenRequestParams?.clientCredentials,
    grant_type: "client_credentials",
    ...(asked && asked.length > 0 && { scope: asked.join(mode.scopeSeparator) }),
  });
}

/** A token revocation request (RFC 7009) to the spec's revocationUrl, with the same client authentication. */
export function revocationRequest(
  mode: OAuth2AuthDefinition,
  client: OAuth2Client,
  token: string,
  hint?: "access_token" | "refresh_token",
): TokenHttpRequest {
  if (mode.revocationUrl === undefined) throw new ConfigurationError("this auth mode declares no revocationUrl");
  const request = tokenRequest(mode, client, { token, ...(hint && { token_type_hint: hint }) });
  return { ...request, url: endpoint(mode.revocationUrl, "revocationUrl") };
}

/** RFC 7009: 200 means revoked (or already invalid); anything else is OAuthError (its code read at the spec's errorPath). */
export function processRevocationResponse(response: TokenHttpResponse, mode?: OAuth2AuthDefinition): void {
  if (response.status === 200) return;
  const body = parseTokenBody(response);
  const error = readPath(body, mode?.tokenResponse.errorPath ?? ["error"]);
  const code = oauthErrorCode(error);
  throw new OAuthError(code, `revocation endpoint answered ${code} (HTTP ${response.status})`, { status: response.status });
}

/**
 * Reads a token answer the way the spec describes it. Throws OAuthError for an error answer (an `error`
 * field, a non-2xx status, or the spec's errorWhen) and for an answer without an access token.
 * `previous` supplies the refresh token when a refresh answer carries none.
 */
export function processTokenResponse(
  mode: OAuth2AuthDefinition,
  response: TokenHttpResponse,
  now: number,
  previous?: StoredTokens,
): StoredTokens {
  const body = parseTokenBody(response);
  const errorCode = readPath(body, mode.tokenResponse.errorPath ?? ["error"]);
  const failed =
    response.status < 200 ||
    response.status >= 300 ||
    (typeof errorCode === "string" && errorCode !== "") ||
    (mode.tokenResponse.errorWhen !== undefined && bodyMatches(body, mode.tokenResponse.errorWhen));
  if (failed) {
    // The answer's value is compared as it is (exactly, whatever its characters: "Invalid Token!")
    // with the codes the spec lists; only then is it reduced to a code for `error` and the message.
    const declared =
      typeof errorCode === "string" ? mode.tokenResponse.invalidGrantCodes?.find((listed) => listed === errorCode) : undefined;
    const given = declared === undefined ? oauthErrorCode(errorCode) : undefined;
    // A listed code is the spec's own text, so the message may name it; anything else only when code-shaped.
    const shown = declared === undefined ? given : oauthErrorCode(declared) === declared ? declared : JSON.stringify(declared);
    const description = readPath(body, mode.tokenResponse.errorDescriptionPath ?? ["error_description"]);
    const detail = typeof description === "string" ? `: ${description.slice(0, 200)}` : "";
    throw new OAuthError(given ?? "invalid_grant", `token endpoint answered ${shown} (HTTP ${response.status})${detail}`, {
      status: response.status,
    });
  }
  const accessToken = readPath(body, mode.tokenResponse.accessTokenPath);
  if (typeof accessToken !== "string" || accessToken === "") {
    throw new OAuthError("invalid_response", `token answer (HTTP ${response.status}) has no access token where the spec says`, {
      status: response.status,
    });
  }
  const refreshToken = readPath(body, mode.tokenResponse.refreshTokenPath);
  const expiresIn = Number(readPath(body, mode.tokenResponse.expiresInPath) ?? NaN);
  const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : mode.defaultTokenLifetimeMs;
  const scope = readPath(body, ["scope"]);
  const nextRefresh = typeof refreshToken === "string" && refreshToken !== "" ? refreshToken : previous?.refreshToken;
  const fields = keptFields(mode, body, previous?.fields);
  return {
    accessToken,
    ...(nextRefresh !== undefined && { refreshToken: nextRefresh }),
    ...(lifetimeMs !== undefined && { expiresAt: now + lifetimeMs }),
    ...(typeof scope === "string" && { scope }),
    ...(fields !== undefined && { fields }),
  };
}

/**
 * The values the spec's tokenResponse.fields name, over the ones kept before: a refresh answer often
 * leaves out what the code exchange answered once (an org's URL, a workspace id), which stays known.
 */
function keptFields(
  mode: OAuth2AuthDefinition,
  body: unknown,
  previous: Readonly<Record<string, TokenFieldValue>> | undefined,
): Readonly<Record<string, TokenFieldValue>> | undefined {
  const kept: Record<string, TokenFieldValue> = { ...previous };
  for (const [name, path] of Object.entries(mode.tokenResponse.fields ?? {})) {
    const value = readPath(body, path);
    if (value !== undefined && value !== null) kept[name] = value as TokenFieldValue;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** The text of every string and number in kept fields: what an error message must not quote. */
export function fieldTexts(fields: Readonly<Record<string, TokenFieldValue>> | undefined): string[] {
  const texts: string[] = [];
  const visit = (value: TokenFieldValue, depth: number): void => {
    if (typeof value === "string" || typeof value === "number") texts.push(String(value));
    else if (value !== null && typeof value === "object" && depth < 8) for (const item of Object.values(value)) visit(item, depth + 1);
  };
  for (const value of Object.values(fields ?? {})) visit(value, 0);
  return texts;
}

/** Sends a token request with the given fetch; the answer's body is read as text. */
export async function sendTokenRequest(fetchFn: typeof fetch, request: TokenHttpRequest, signal?: AbortSignal): Promise<TokenHttpResponse> {
  const response = await fetchFn(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: "manual",
    ...(signal && { signal }),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function parseTokenBody(response: TokenHttpResponse): unknown {
  const type = response.headers.get("content-type") ?? "";
  const text = response.body;
  if (/x-www-form-urlencoded/i.test(type)) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // GitHub without an Accept header, or a server that mislabels form answers.
    return /^[\w.-]+=/.test(text) ? Object.fromEntries(new URLSearchParams(text)) : undefined;
  }
}

/** An OAuth error code as the answer gave it when it looks like one (no free text, bounded), else `invalid_response`. */
export function oauthErrorCode(value: unknown): string {
  return typeof value === "string" && /^[\w.:-]{1,100}$/.test(value) ? value : "invalid_response";
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** An endpoint URL, refused when a {variable} in it was never filled (see withUrlVariables). */
function endpoint(url: string, what: string): string {
  const unfilled = /\{([^{}]+)\}/.exec(url);
  if (unfilled) throw new ConfigurationError(`${what} needs the variable ${unfilled[0]}: pass variables: { ${unfilled[1]}: ... }`);
  return url;
}

/**
 * The client can authenticate at the token endpoint the way the spec says: a clientSecret is given
 * unless the mode's tokenEndpointAuthMethod is `none`. Checked when a token manager or authorization is
 * made, so a confidential client configured without its secret fails there, not at the provider after
 * the user's consent (where it would have sent only client_id). The message never carries a secret.
 */
export function checkClientAuthentication(mode: OAuth2AuthDefinition, client: OAuth2Client): void {
  checkClient(client);
  if (mode.tokenEndpointAuthMethod !== "none" && client.clientSecret === undefined)
    throw new ConfigurationError(
      `this auth mode authenticates the client with ${mode.tokenEndpointAuthMethod}, which needs a clientSecret; none was given (a public client needs a mode with tokenEndpointAuthMethod: none)`,
    );
}

function checkClient(client: OAuth2Client): void {
  if (typeof client.clientId !== "string" || client.clientId === "") throw new ConfigurationError("clientId is missing or empty");
  if (client.clientSecret !== undefined && (typeof client.clientSecret !== "string" || client.clientSecret === ""))
    throw new ConfigurationError("clientSecret is empty");
}
