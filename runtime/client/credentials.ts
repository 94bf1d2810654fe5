/**
 * Credentials a caller supplies for each kind of auth mode, and how static ones are put on a request.
 * Token lifecycles (OAuth refresh, GitHub App installation tokens) plug in as token providers.
 */
import type { AuthModeDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";

/**
 * Keeps a token current (OAuth2TokenManager, GithubAppTokenProvider from `@switchboard/runtime/auth`). After a
 * 401 the client calls `invalidate` with the refused token, asks for a new one and replays the request
 * once.
 */
export interface TokenProvider {
  /** `options.signal` aborts with the call (its signal or total timeout): pass it to any token request. */
  getToken(options?: TokenRequestOptions): string | Promise<string>;
  invalidate?(token: string): void | Promise<void>;
}

/** What the client hands a token source with each call. */
export interface TokenRequestOptions {
  /** Aborts when the call that asks for the token is aborted or runs out of time. */
  readonly signal?: AbortSignal;
  /** Receives the events of a token request this call starts or waits for (the client's event stream). */
  readonly onTokenRequest?: (event: TokenRequestEvent) => void;
}

/**
 * One step of a token request (OAuth refresh, client credentials or code exchange, revocation, GitHub App
 * installation token).
 * Never carries a token, secret, assertion or code: the endpoint is host and path only.
 */
export interface TokenRequestEvent {
  readonly type: "tokenRequest";
  /**
   * `start` of an attempt; `success` (HTTP 2xx: the body may still be an OAuth error) or `failure` (an
   * error status, a network error or a timeout) when it ended; `retry` before the next attempt.
   */
  readonly phase: "start" | "success" | "failure" | "retry";
  /** The request: a grant, or `revocation` (RFC 7009, `OAuth2TokenManager.revoke`). */
  readonly grant: "refresh_token" | "client_credentials" | "installation_token" | "authorization_code" | "revocation";
  /** Host and path of the token endpoint. */
  readonly endpoint: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly status?: number;
  readonly durationMs?: number;
  /** A failure without an answer: the network error's code, `timeout` or `network`. */
  readonly errorCode?: string;
  /** `retry`: the wait before the next attempt. */
  readonly delayMs?: number;
}

/** A token, a function that returns a current one (called before every request), or a TokenProvider. */
export type TokenSource = string | ((options?: TokenRequestOptions) => string | Promise<string>) | TokenProvider;

export interface ApiKeyCredentials {
  readonly apiKey: string;
}
export interface BasicCredentials {
  readonly username: string;
  readonly password?: string;
}
export interface BearerCredentials {
  readonly token: TokenSource;
}
export interface OAuth2Credentials {
  readonly accessToken: TokenSource;
}
export interface GithubAppCredentials {
  readonly installationToken: TokenSource;
}

export interface CredentialsByType {
  readonly apiKey: ApiKeyCredentials;
  readonly basic: BasicCredentials;
  readonly bearer: BearerCredentials;
  readonly oauth2: OAuth2Credentials;
  readonly githubApp: GithubAppCredentials;
}

/** What a client is created with: the mode's name and its credentials. */
export type AuthOptions = { readonly mode?: string } & Partial<
  ApiKeyCredentials & BasicCredentials & BearerCredentials & OAuth2Credentials & GithubAppCredentials
>;

function checkToken(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new ConfigurationError(`${what} is missing or empty`);
  return value;
}

function isTokenProvider(source: unknown): source is TokenProvider {
  return typeof source === "object" && source !== null && typeof (source as TokenProvider).getToken === "function";
}

/** Calls `use` with the token: at once for a string, after the function's promise for a token source. */
function withToken(
  source: TokenSource | undefined,
  what: string,
  options: TokenRequestOptions | undefined,
  use: (token: string) => void,
): void | Promise<void> {
  const value = typeof source === "function" ? source(options) : isTokenProvider(source) ? source.getToken(options) : source;
  if (value instanceof Promise) return value.then((token) => use(checkToken(token, what)));
  return use(checkToken(value, what));
}

/**
 * Applies credentials to outgoing headers (lower-case names) and query parameters. Credentials are
 * never copied anywhere else.
 */
export function applyCredentials(
  mode: AuthModeDefinition,
  auth: AuthOptions,
  headers: Record<string, string>,
  query: Record<string, string>,
  options?: TokenRequestOptions,
): void | Promise<void> {
  switch (mode.type) {
    case "apiKey": {
      const key = checkToken(auth.apiKey, "auth.apiKey");
      if (mode.in === "header") headers[mode.name.toLowerCase()] = `${mode.prefix}${key}`;
      else query[mode.name] = `${mode.prefix}${key}`;
      return;
    }
    case "basic": {
      if (typeof auth.username !== "string" || auth.username === "") throw new ConfigurationError("auth.username is missing or empty");
      if (auth.password === undefined && !mode.passwordOptional) throw new ConfigurationError("auth.password is missing");
      headers.authorization = `Basic ${base64Utf8(`${auth.username}:${auth.password ?? ""}`)}`;
      return;
    }
    case "bearer":
      return withToken(auth.token, "auth.token", options, (token) => void (headers[mode.header] = `${mode.prefix}${token}`));
    case "oauth2":
      return withToken(auth.accessToken, "auth.accessToken", options, (token) => void (headers[mode.header] = `${mode.prefix}${token}`));
    case "githubApp":
      return withToken(
        auth.installationToken,
        "auth.installationToken",
        options,
        (token) => void (headers.authorization = `Bearer ${token}`),
      );
  }
}

/**
 * After a 401: when the mode's token comes from a TokenProvider, invalidates the token the request
 * carried and puts a fresh one on the headers. Undefined when there is nothing to renew.
 */
export function renewCredentials(
  mode: AuthModeDefinition,
  auth: AuthOptions,
  headers: Record<string, string>,
  query: Record<string, string>,
  options?: TokenRequestOptions,
): Promise<void> | undefined {
  if (mode.type === "apiKey" || mode.type === "basic") return undefined;
  const source = mode.type === "oauth2" ? auth.accessToken : mode.type === "githubApp" ? auth.installationToken : auth.token;
  if (!isTokenProvider(source) || typeof source.invalidate !== "function") return undefined;
  const header = mode.type === "githubApp" ? "authorization" : mode.header;
  const prefix = mode.type === "githubApp" ? "Bearer " : mode.prefix;
  const used = (headers[header] ?? "").slice(prefix.length);
  return Promise.resolve(source.invalidate(used)).then(() => applyCredentials(mode, auth, headers, query, options));
}

/** Base64 of a string's UTF-8 bytes, without Node's Buffer so it runs in browsers and workers too. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
