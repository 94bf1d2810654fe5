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

async function resolveToken(source: TokenSource | undefined, what: string): Promise<string> {
  const value = typeof source === "function" ? await source() : source;
  if (typeof value !== "string" || value === "") throw new ConfigurationError(`${what} is missing or empty`);
  return value;
}

/**
 * Applies credentials to outgoing headers (lower-case names) and query parameters. Credentials are
 * never copied anywhere else.
 */
export async function applyCredentials(
  mode: AuthModeDefinition,
  auth: AuthOptions,
  headers: Record<string, string>,
  query: Record<string, string>,
): Promise<void> {
  switch (mode.type) {
    case "apiKey": {
      const key = await resolveToken(auth.apiKey, "auth.apiKey");
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
      headers[mode.header] = `${mode.prefix}${await resolveToken(auth.token, "auth.token")}`;
      return;
    case "oauth2":
      headers[mode.header] = `${mode.prefix}${await resolveToken(auth.accessToken, "auth.accessToken")}`;
      return;
    case "githubApp":
      headers.authorization = `Bearer ${await resolveToken(auth.installationToken, "auth.installationToken")}`;
      return;
  }
}

/** Base64 of a string's UTF-8 bytes, without Node's Buffer so it runs in browsers and workers too. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
