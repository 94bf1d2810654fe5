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
  getToken(): string | Promise<string>;
  invalidate?(token: string): void | Promise<void>;
}

/** A token, a function that returns a current one (called before every request), or a TokenProvider. */
export type TokenSource = string | (() => string | Promise<string>) | TokenProvider;

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
function withToken(source: TokenSource | undefined, what: string, use: (token: string) => void): void | Promise<void> {
  const value = typeof source === "function" ? source() : isTokenProvider(source) ? source.getToken() : source;
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
      return withToken(auth.token, "auth.token", (token) => void (headers[mode.header] = `${mode.prefix}${token}`));
    case "oauth2":
      return withToken(auth.accessToken, "auth.accessToken", (token) => void (headers[mode.header] = `${mode.prefix}${token}`));
    case "githubApp":
      return withToken(auth.installationToken, "auth.installationToken", (token) => void (headers.authorization = `Bearer ${token}`));
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
): Promise<void> | undefined {
  if (mode.type === "apiKey" || mode.type === "basic") return undefined;
  const source = mode.type === "oauth2" ? auth.accessToken : mode.type === "githubApp" ? auth.installationToken : auth.token;
  if (!isTokenProvider(source) || typeof source.invalidate !== "function") return undefined;
  const header = mode.type === "githubApp" ? "authorization" : mode.header;
  const prefix = mode.type === "githubApp" ? "Bearer " : mode.prefix;
  const used = (headers[header] ?? "").slice(prefix.length);
  return Promise.resolve(source.invalidate(used)).then(() => applyCredentials(mode, auth, headers, query));
}

/** Base64 of a string's UTF-8 bytes, without Node's Buffer so it runs in browsers and workers too. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
