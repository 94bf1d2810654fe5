/**
 * Credentials a caller supplies for each kind of auth mode, and how static ones are put on a request.
 * Token lifecycles (OAuth refresh, GitHub App installation tokens) plug in as token providers.
 */
import type { AuthModeDefinition } from "./definition.js";
import { ConfigurationError } from "./errors.js";

/** A token, or a function that returns a current one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

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

/** Calls `use` with the token: at once for a string, after the function's promise for a token source. */
function withToken(source: TokenSource | undefined, what: string, use: (token: string) => void): void | Promise<void> {
  if (typeof source !== "function") return use(checkToken(source, what));
  const value = source();
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

/** Base64 of a string's UTF-8 bytes, without Node's Buffer so it runs in browsers and workers too. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
