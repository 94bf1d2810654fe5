/**
 * Keeps an OAuth 2.0 access token current for a client: proactive refresh (before expiry, with the
 * spec's skew), reactive refresh (a 401 invalidates the token the request used), single flight (any
 * number of concurrent callers share one token request), refresh-token rotation (the new pair is
 * persisted before the new access token is handed out) and client credentials cached until expiry.
 * A refused refresh (`invalid_grant`) becomes ReauthorizationRequiredError once; this manager never
 * sends the dead refresh token again. Before a refresh through a store that does not coordinate refreshes,
 * and after a refusal, the store is read again, so a pair another manager stored is used rather than the
 * refresh token it replaced (see #renewUncoordinated for what that cannot prevent).
 */
import type { TokenProvider, TokenRequestEvent, TokenRequestOptions } from "../client/credentials.js";
import type { AuthModeDefinition, OAuth2AuthDefinition, ProviderDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { OAuthError, ReauthorizationRequiredError } from "./errors.js";
import {
  checkClientAuthentication,
  clientCredentialsRequest,
  fieldTexts,
  processRevocationResponse,
  processTokenResponse,
  refreshTokenRequest,
  revocationRequest,
  withUrlVariables,
  type OAuth2Client,
  type TokenHttpRequest,
} from "./oauth2.js";
import { resolveVariables } from "../client/variables.js";
import { refreshAt } from "./refresh-at.js";
import { coordinatesRefreshes, MemoryTokenStore, type StoredTokens, type TokenFieldValue, type TokenStore } from "./token-store.js";
import { StoreWatch, watchedCall, type StoreHealthEvent } from "../policies/store-guard.js";
import { systemClock, type Clock } from "../clock.js";
import {
  describeTokenFailure,
  listenersOf,
  sendWithPolicies,
  type TokenAnswer,
  type TokenRetryOptions,
  type TokenSendOptions,
} from "./token-request.js";

export interface OAuth2TokenManagerOptions extends OAuth2Client {
  /**
   * How new tokens are obtained: `refreshToken` (tokens from a user's authorization, refreshed with the
   * stored refresh token) or `clientCredentials` (the client's own tokens).
   * @default "clientCredentials" when the spec's only token grant is clientCredentials, else "refreshToken"
   */
  readonly grant?: "refreshToken" | "clientCredentials";
  /** @default a MemoryTokenStore of this manager's own */
  readonly store?: TokenStore;
  /** The store key of this grant. @default `oauth2:<clientId>`, `oauth2:<clientId>:client_credentials` for client credentials */
  readonly key?: string;
  /** Scopes asked for with client credentials. @default the spec's defaultScopes */
  readonly scopes?: readonly string[];
  /** Values for {name} placeholders in the mode's URLs (Shopify's {shop}); oauth2Mode can fill them instead. */
  readonly variables?: Readonly<Record<string, string>>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Epoch ms. @default Date.now (the clock's now when `clock` is given) */
  readonly now?: () => number;
  /** Time and waits between retries of a token request. @default the system clock */
  readonly clock?: Clock;
  /**
   * Retries of a token request on network errors, 5xx and 429 (Retry-After honoured), within `timeoutMs`.
   * A refresh is repeated only when the server did not process it (see `rotatingRefreshTokens`); false: no retries.
   * @default 3 attempts, Retry-After up to 10 s
   */
  readonly retry?: TokenRetryOptions | false;
  /**
   * The server may rotate the refresh token on every refresh, so a refresh that may have been processed
   * (a 5xx, a reset or timeout after sending) is not repeated and fails with `outcome: "unknown"`.
   * false: the provider never rotates, a refresh is repeated like client credentials. @default the spec's
   * rotatingRefreshTokens (true when it says nothing)
   */
  readonly rotatingRefreshTokens?: boolean;
  /** Token-request events (also sent to the client that asked for the token). Never carries a secret. */
  readonly onEvent?: (event: TokenRequestEvent) => void;
  /**
   * Time limit of one token request, its retries included. The request is shared by every call waiting for the token, so no
   * one call's signal aborts it; each call stops waiting at its own deadline. @default 30 s
   */
  readonly timeoutMs?: number;
  /** The store failed (first failure) or answers again. Never carries a token or what the store said. */
  readonly onStoreEvent?: (event: StoreHealthEvent) => void;
  /** Time limit of one token-store call; longer counts as a failure. @default 1000 */
  readonly storeTimeoutMs?: number;
}

/**
 * Picks an oauth2 mode of a generated client's definition by name. With `variables` (the values given
 * to the client, e.g. `{ shop: "example.myshopify.com" }`), they are checked against the spec's
 * patterns and filled into the mode's URLs.
 */
export function oauth2Mode(
  definition: ProviderDefinition,
  name: string,
  variables?: Readonly<Record<string, string>>,
): OAuth2AuthDefinition {
  const mode: AuthModeDefinition | undefined = Object.hasOwn(definition.auth.modes, name) ? definition.auth.modes[name] : undefined;
  if (mode?.type !== "oauth2") throw new ConfigurationError(`${definition.title} has no oauth2 auth mode "${name}"`);
  return variables === undefined ? mode : withUrlVariables(mode, resolveVariables(definition.title, definition.variables, variables));
}

/** What OAuth2TokenManager.revoke() did; the tokens stored for the grant are deleted in every case. */
export interface RevokeResult {
  /**
   * `revoked`: the provider answered the RFC 7009 revocation request with 200. `noRevocationUrl`: the
   * spec declares no revocationUrl, so nothing was sent and the grant stays valid at the provider.
   * `noTokens`: no tokens were held or stored for the grant, so nothing was sent.
   */
  readonly revocation: "revoked" | "noRevocationUrl" | "noTokens";
}

export class OAuth2TokenManager implements TokenProvider {
  readonly #mode: OAuth2AuthDefinition;
  readonly #client: OAuth2Client;
  readonly #grant: "refreshToken" | "clientCredentials";
  readonly #store: TokenStore;
  readonly #scopes: readonly string[] | undefined;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #retry: TokenRetryOptions | false | undefined;
  readonly #rotating: boolean;
  readonly #onEvent: ((event: TokenRequestEvent) => void) | undefined;
  /** Listeners of the calls waiting for the current renewal. */
  readonly #listeners = new Set<(event: TokenRequestEvent) => void>();
  /** Every call of the store runs through it: contained, bounded, failures reported. */
  readonly #watch: StoreWatch;
  readonly #failOpen: boolean;
  /** The store key; read by handlers that store a new authorization for this manager. */
  declare readonly key: string;
  #tokens: StoredTokens | undefined;
  #renewing: Promise<StoredTokens> | undefined;
  /** A refresh token the provider refused; never sent again. */
  #deadRefreshToken: string | undefined;
  /** Tokens obtained but not yet persisted (the store failed): saved before anything else is used. */
  #unsaved: StoredTokens | undefined;

  constructor(mode: OAuth2AuthDefinition, options: OAuth2TokenManagerOptions) {
    if (mode?.type !== "oauth2") throw new ConfigurationError("OAuth2TokenManager needs an oauth2 auth mode");
    checkClientAuthentication(mode, options);
    this.#mode = options.variables ? withUrlVariables(mode, options.variables) : mode;
    this.#client = { clientId: options.clientId, ...(options.clientSecret !== undefined && { clientSecret: options.clientSecret }) };
    const onlyClientCredentials = mode.grants.includes("clientCredentials") && !mode.grants.includes("refreshToken");
    this.#grant = options.grant ?? (onlyClientCredentials ? "clientCredentials" : "refreshToken");
    if (this.#grant === "clientCredentials" && !mode.grants.includes("clientCredentials"))
      throw new ConfigurationError("this auth mode does not declare the clientCredentials grant");
    this.#store = options.store ?? new MemoryTokenStore();
    this.key = options.key ?? `oauth2:${options.clientId}${this.#grant === "clientCredentials" ? ":client_credentials" : ""}`;
    this.#scopes = options.scopes;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? (options.clock ? () => options.clock!.now() : Date.now);
    this.#clock = options.clock ?? { ...systemClock, now: this.#now };
    this.#retry = options.retry;
    this.#rotating = options.rotatingRefreshTokens ?? mode.rotatingRefreshTokens ?? true;
    this.#onEvent = options.onEvent;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#watch = new StoreWatch(
      "token",
      { ...systemClock, now: this.#now },
      options.onStoreEvent ?? (() => {}),
      options.storeTimeoutMs,
      0,
    );
    this.#failOpen = this.#store.onFailure === "open";
  }

  /** A current access token, renewing it first when it is expired or within the spec's skew of expiry. */
  async getToken(options?: TokenRequestOptions): Promise<string> {
    for (;;) {
      if (this.#renewing) {
        listenersOf(this.#onEvent, options, this.#listeners);
        return (await this.#renewing).accessToken;
      }
      const tokens = this.#tokens ?? (await this.#load());
      if (this.#renewing) continue; // another caller started a renewal while we read the store
      if (tokens && !this.#unsaved && !this.#stale(tokens)) return tokens.accessToken;
      listenersOf(this.#onEvent, options, this.#listeners);
      const renewing = this.#renew(tokens);
      this.#renewing = renewing;
      const done = (): void => {
        this.#renewing = undefined;
        this.#listeners.clear();
      };
      renewing.then(done, done);
      return (await renewing).accessToken;
    }
  }

  /**
   * The values the spec's `tokenResponse.fields` kept from the token answers of this grant (Salesforce's
   * `instanceUrl`, the org's API base URL), without renewing anything: those of tokens obtained but not yet
   * saved, else the stored ones, else those held in memory. `{}` when the tokens carry none; undefined
   * when there are no tokens (authorize first).
   */
  async getTokenFields(): Promise<Readonly<Record<string, TokenFieldValue>> | undefined> {
    const tokens = this.#unsaved ?? (await this.#read()) ?? this.#tokens;
    return tokens === undefined ? undefined : (tokens.fields ?? {});
  }

  /** Marks `token` as refused (a 401); the next getToken() renews once, whatever the number of callers. */
  invalidate(token: string): void {
    if (this.#tokens && this.#tokens.accessToken === token) this.#tokens = { ...this.#tokens, expiresAt: 0 };
  }

  /**
   * Signs out: revokes the grant at the provider (the refresh token when there is one, else the access
   * token; the access token always when the spec's revocationToken says accessToken) and deletes the stored tokens (the store's entry under `key`, and those held in memory). Later
   * calls need a new authorization. The revocation is a token request like a refresh (the manager's
   * `timeoutMs`, `retry`, `clock` and `tokenRequest` events with grant `revocation`; `options.signal` ends
   * it early), and it is repeated after any failure: revoking a token twice is harmless (RFC 7009, 2.2: an
   * invalid token is answered with 200). When it fails, the stored tokens are kept.
   *
   * Without the spec's `revocationUrl` nothing is sent: the tokens are only deleted here, and the grant
   * stays valid at the provider (its refresh token until it expires, or until the user removes the app
   * there). The result says which happened: `revocation` is `revoked` (the provider answered 200),
   * `noRevocationUrl` (nothing sent, tokens deleted) or `noTokens` (none held or stored, nothing sent).
   */
  async revoke(options?: TokenRequestOptions): Promise<RevokeResult> {
    const tokens = this.#unsaved ?? this.#tokens ?? (await this.#read());
    const revocation = !tokens ? "noTokens" : this.#mode.revocationUrl === undefined ? "noRevocationUrl" : "revoked";
    if (tokens && revocation === "revoked") {
      const [token, hint] =
        tokens.refreshToken !== undefined && this.#mode.revocationToken !== "accessToken"
          ? [tokens.refreshToken, "refresh_token" as const]
          : [tokens.accessToken, "access_token" as const];
      const policy = {
        grant: "revocation" as const,
        replaySafe: true,
        secrets: [this.#client.clientSecret, tokens.refreshToken, tokens.accessToken, ...fieldTexts(tokens.fields)],
      };
      const listeners = new Set<(event: TokenRequestEvent) => void>();
      listenersOf(this.#onEvent, options, listeners);
      const response = await this.#send(revocationRequest(this.#mode, this.#client, token, hint), policy, listeners, options?.signal);
      try {
        processRevocationResponse(response, this.#mode);
      } catch (error) {
        throw describeTokenFailure(error, response, policy);
      }
    }
    // A sign-out that could not delete the stored tokens says so, whatever the store's failure mode.
    await watchedCall(this.#watch, "delete", () => this.#store.delete(this.key), this.#now());
    this.#tokens = undefined;
    this.#unsaved = undefined;
    return { revocation };
  }

  async #load(): Promise<StoredTokens | undefined> {
    const tokens = await this.#read();
    if (tokens && !this.#tokens) this.#tokens = tokens;
    return this.#tokens;
  }

  /** The stored tokens; a failing store that fails open reads as what this manager holds in memory. */
  async #read(): Promise<StoredTokens | undefined> {
    try {
      return await watchedCall(this.#watch, "get", () => this.#store.get(this.key), this.#now());
    } catch (error) {
      if (this.#failOpen) return this.#tokens;
      throw error;
    }
  }

  #stale(tokens: StoredTokens): boolean {
    return tokens.expiresAt !== undefined && refreshAt(tokens.expiresAt, tokens.obtainedAt, this.#mode.refreshSkewMs) <= this.#now();
  }

  async #renew(tokens: StoredTokens | undefined): Promise<StoredTokens> {
    if (this.#unsaved) return this.#save(this.#unsaved);
    const store = this.#store;
    if (!coordinatesRefreshes(store)) return this.#renewUncoordinated(tokens);
    // Shared store: one process renews; the others wait for its lease, then adopt what it stored.
    // Not bounded in time: the refresh it runs is a token request, bounded by its own timeout.
    const stored = await Promise.resolve().then(() =>
      store.refreshExclusive(this.key, async (latest) => {
        if (latest && latest.accessToken !== tokens?.accessToken && !this.#stale(latest)) return latest;
        return this.#obtain(latest ?? tokens);
      }),
    );
    if (!stored) throw new ReauthorizationRequiredError("no tokens stored for this grant: authorize first");
    this.#tokens = stored;
    return stored;
  }

  /**
   * A renewal through a store that does not coordinate refreshes (get/set/delete only). Another manager
   * sharing the store may have renewed, or a new authorization been stored, since this one read it: the
   * store is read first, and a pair other than the one held is used instead (its access token when it
   * is still good, else its refresh token). A refresh refused with invalid_grant reads the store once
   * more: another manager may have used the same refresh token first and stored its successor. Two
   * managers that read the store before either wrote still both send the same refresh token; only a
   * coordinating store prevents that.
   */
  async #renewUncoordinated(held: StoredTokens | undefined): Promise<StoredTokens> {
    let tokens = held;
    const newer = await this.#newerStored(held);
    if (newer) {
      if (!this.#stale(newer) && newer.accessToken !== held?.accessToken) return newer;
      tokens = newer;
    }
    try {
      return await this.#save(await this.#obtain(tokens));
    } catch (error) {
      if (!this.#refusedRefresh(error, tokens)) throw error;
      const successor = await this.#newerStored(tokens);
      if (!successor) throw error;
      if (!this.#stale(successor) && successor.accessToken !== tokens?.accessToken) return successor;
      return this.#save(await this.#obtain(successor));
    }
  }

  /**
   * The stored pair when it differs from `than` (another access or refresh token) and its refresh token
   * is not one the provider refused; it becomes the pair this manager holds. Nothing is written.
   */
  async #newerStored(than: StoredTokens | undefined): Promise<StoredTokens | undefined> {
    const stored = await this.#read();
    if (!stored || (stored.accessToken === than?.accessToken && stored.refreshToken === than?.refreshToken)) return undefined;
    if (stored.refreshToken !== undefined && stored.refreshToken === this.#deadRefreshToken) return undefined;
    this.#tokens = stored;
    return stored;
  }

  /** Whether `error` is the provider refusing the refresh token of `tokens` (see #obtain). */
  #refusedRefresh(error: unknown, tokens: StoredTokens | undefined): boolean {
    return (
      error instanceof ReauthorizationRequiredError &&
      tokens?.refreshToken !== undefined &&
      this.#deadRefreshToken === tokens.refreshToken &&
      error.cause instanceof OAuthError
    );
  }

  /** Asks the authorization server for new tokens (not yet stored). */
  async #obtain(tokens: StoredTokens | undefined): Promise<StoredTokens> {
    let request;
    if (this.#grant === "clientCredentials") {
      request = clientCredentialsRequest(this.#mode, this.#client, this.#scopes);
    } else {
      if (tokens?.refreshToken === undefined || tokens.refreshToken === this.#deadRefreshToken) {
        throw new ReauthorizationRequiredError(
          tokens ? "the access token expired and there is no usable refresh token" : "no tokens stored for this grant: authorize first",
        );
      }
      if (!this.#mode.grants.includes("refreshToken"))
        throw new ReauthorizationRequiredError("the access token expired and this auth mode declares no refreshToken grant");
      request = refreshTokenRequest(this.#mode, this.#client, tokens.refreshToken);
    }
    const refresh = this.#grant === "refreshToken";
    const policy = {
      grant: refresh ? ("refresh_token" as const) : ("client_credentials" as const),
      replaySafe: !refresh || !this.#rotating,
      secrets: [this.#client.clientSecret, tokens?.refreshToken, tokens?.accessToken, ...fieldTexts(tokens?.fields)],
    };
    try {
      const response = await this.#send(request, policy, this.#listeners);
      const now = this.#now();
      let next: StoredTokens;
      try {
        next = processTokenResponse(this.#mode, response, now, refresh ? tokens : undefined);
      } catch (error) {
        throw describeTokenFailure(error, response, policy);
      }
      return next.expiresAt === undefined ? next : { ...next, obtainedAt: now };
    } catch (error) {
      if (this.#grant === "refreshToken" && error instanceof OAuthError && error.error === "invalid_grant") {
        this.#deadRefreshToken = tokens?.refreshToken;
        throw new ReauthorizationRequiredError("the provider refused the refresh token (invalid_grant): authorize again", {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Sends a token request through the policies, with this manager's fetch, clock, time limit and retries. */
  #send(
    request: TokenHttpRequest,
    policy: Pick<TokenSendOptions, "grant" | "replaySafe" | "secrets">,
    listeners: Iterable<(event: TokenRequestEvent) => void>,
    signal?: AbortSignal,
  ): Promise<TokenAnswer> {
    return sendWithPolicies(request, {
      ...policy,
      fetch: this.#fetch,
      clock: this.#clock,
      timeoutMs: this.#timeoutMs,
      ...(this.#retry !== undefined && { retry: this.#retry }),
      ...(signal !== undefined && { signal }),
      listeners,
    });
  }

  /**
   * Persists first: a rotated refresh token must survive a crash before the new access token is used.
   * When the store fails, the pair is kept in memory only to be saved again by the next caller; a store
   * that fails closed fails this call, one that fails open hands the new access token out unsaved.
   */
  async #save(next: StoredTokens): Promise<StoredTokens> {
    this.#unsaved = next;
    try {
      await watchedCall(this.#watch, "set", () => this.#store.set(this.key, next), this.#now());
    } catch (error) {
      if (!this.#failOpen) throw error;
      // Fail open: hand the tokens out now; they stay unsaved and the next call saves them first.
      this.#tokens = next;
      return next;
    }
    this.#unsaved = undefined;
    this.#tokens = next;
    return next;
  }
}
