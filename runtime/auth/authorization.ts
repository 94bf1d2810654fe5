/**
 * The authorization code flow with PKCE: `start` builds the authorization URL with a random single-use
 * `state` (kept with its code verifier, the token-store key and an optional session binding for a TTL),
 * `finish` checks the callback's state was issued for this flow (and session), exchanges the code and
 * stores the tokens.
 */
import type { OAuth2AuthDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { AuthorizationStateError, OAuthError } from "./errors.js";
import {
  authorizationCodeRequest,
  buildAuthorizationUrl,
  checkClientAuthentication,
  oauthErrorCode,
  processTokenResponse,
  withUrlVariables,
  type OAuth2Client,
} from "./oauth2.js";
import { codeChallengeS256, constantTimeEqual, generateCodeVerifier, randomToken } from "./pkce.js";
import { MemoryStateStore, type AuthorizationStateStore, type PendingAuthorization } from "./state-store.js";
import { MemoryTokenStore, type StoredTokens, type TokenStore } from "./token-store.js";
import type { TokenRequestEvent } from "../client/credentials.js";
import { systemClock, type Clock } from "../clock.js";
import { describeTokenFailure, sendWithPolicies, type TokenRetryOptions } from "./token-request.js";

export interface OAuth2AuthorizationOptions extends OAuth2Client {
  /** Where the provider sends the browser back; must be registered with the provider. */
  readonly redirectUri: string;
  /** Scopes asked for. @default the spec's defaultScopes (none when it declares none) */
  readonly scopes?: readonly string[];
  /** Values for {name} placeholders in the mode's URLs (Shopify's {shop}); oauth2Mode can fill them instead. */
  readonly variables?: Readonly<Record<string, string>>;
  /** @default a MemoryTokenStore of its own */
  readonly store?: TokenStore;
  /** Store key of the tokens. @default `oauth2:<clientId>` (what OAuth2TokenManager reads by default) */
  readonly key?: string;
  /** Pending authorizations. @default a MemoryStateStore of its own */
  readonly stateStore?: AuthorizationStateStore;
  /** How long a state stays valid. @default 10 min */
  readonly stateTtlMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Epoch ms. @default Date.now (the clock's now when `clock` is given) */
  readonly now?: () => number;
  /** Time and waits between retries. @default the system clock */
  readonly clock?: Clock;
  /** Time limit of the code exchange, its retries included. @default 30 s */
  readonly timeoutMs?: number;
  /**
   * Retries of the code exchange, only after a failure that says it was not processed (connection
   * refused, 429, 503 with Retry-After): a code is single-use. false: none. @default 3 attempts
   */
  readonly retry?: TokenRetryOptions | false;
  /** Token-request events. Never carries the code, verifier or a token. */
  readonly onEvent?: (event: TokenRequestEvent) => void;
}

export interface StartedAuthorization {
  /** Send the user's browser here. */
  readonly url: string;
  readonly state: string;
}

/** What ties a state to the user's session, given to both start() and finish(). */
export interface AuthorizationBinding {
  /**
   * A value only this user's session has (its session id): finish() refuses a callback whose state was
   * started with another binding, or with none. Kept only as its SHA-256.
   */
  readonly binding?: string;
}

export class OAuth2Authorization {
  readonly #mode: OAuth2AuthDefinition;
  readonly #options: OAuth2AuthorizationOptions;
  readonly #stateStore: AuthorizationStateStore;
  readonly #store: TokenStore;
  readonly #now: () => number;
  declare readonly key: string;

  constructor(mode: OAuth2AuthDefinition, options: OAuth2AuthorizationOptions) {
    if (mode?.type !== "oauth2") throw new ConfigurationError("OAuth2Authorization needs an oauth2 auth mode");
    if (!mode.grants.includes("authorizationCode"))
      throw new ConfigurationError("this auth mode does not declare the authorizationCode grant");
    if (typeof options.redirectUri !== "string" || !/^https?:\/\//.test(options.redirectUri))
      throw new ConfigurationError("redirectUri must be an http(s) URL");
    checkClientAuthentication(mode, options);
    this.#mode = options.variables ? withUrlVariables(mode, options.variables) : mode;
    this.#options = options;
    this.#stateStore = options.stateStore ?? new MemoryStateStore();
    this.#store = options.store ?? new MemoryTokenStore();
    this.#now = options.now ?? (options.clock ? () => options.clock!.now() : Date.now);
    this.key = options.key ?? `oauth2:${options.clientId}`;
  }

  /**
   * A new authorization URL with a fresh state and (unless the spec says pkce: none) an S256 challenge.
   * The state is recorded as issued for this flow's `key` and, when given, the session `binding`.
   */
  async start(params?: Readonly<Record<string, string>>, options?: AuthorizationBinding): Promise<StartedAuthorization> {
    const binding = options?.binding === undefined ? undefined : await bindingHash(options.binding);
    const state = randomToken(32);
    const codeVerifier = this.#mode.pkce === "none" ? undefined : generateCodeVerifier();
    const url = buildAuthorizationUrl(this.#mode, this.#options, {
      redirectUri: this.#options.redirectUri,
      state,
      ...(codeVerifier !== undefined && { codeChallenge: await codeChallengeS256(codeVerifier) }),
      ...(this.#options.scopes && { scopes: this.#options.scopes }),
      ...(params && { params }),
    });
    await this.#stateStore.save({
      state,
      codeVerifier,
      redirectUri: this.#options.redirectUri,
      key: this.key,
      ...(binding !== undefined && { binding }),
      expiresAt: this.#now() + (this.#options.stateTtlMs ?? 600_000),
    });
    return { url, state };
  }

  /**
   * Handles the redirect back (the full callback URL or its query): checks and consumes the state,
   * exchanges the code, stores the tokens under `key` and returns them. A state issued by a flow with
   * another `key` (another user's flow sharing the state store), or with another session `binding`, is
   * refused with AuthorizationStateError like an unknown one: nothing is exchanged or stored, and the
   * state stays pending for the flow it was issued for.
   */
  async finish(callback: string | URL | URLSearchParams, options?: AuthorizationBinding): Promise<StoredTokens> {
    const query = callback instanceof URLSearchParams ? callback : new URL(String(callback), "http://callback.invalid/").searchParams;
    const state = query.get("state");
    if (state === null || state === "") throw new AuthorizationStateError("the callback has no state");
    const binding = options?.binding === undefined ? undefined : await bindingHash(options.binding);
    const now = this.#now();
    const pending = await this.#stateStore.take(state, now);
    if (!pending) throw new AuthorizationStateError("the callback's state is unknown, expired or already used");
    if (!issuedFor(pending, this.key, binding)) {
      // Login CSRF or an account mix-up: another flow's grant must not land under this flow's key. The
      // store's take() removed the entry; it goes back so the flow it belongs to can still finish.
      await this.#stateStore.save(pending);
      throw new AuthorizationStateError("the callback's state was issued for another authorization (token-store key or session)");
    }
    const error = query.get("error");
    if (error !== null) {
      const code = oauthErrorCode(error);
      throw new OAuthError(code, `authorization was refused: ${code}`);
    }
    const code = query.get("code");
    if (code === null || code === "") throw new OAuthError("invalid_request", "the callback has no code");
    const request = authorizationCodeRequest(this.#mode, this.#options, {
      code,
      redirectUri: pending.redirectUri,
      codeVerifier: pending.codeVerifier,
    });
    const policy = {
      grant: "authorization_code" as const,
      replaySafe: false,
      secrets: [code, pending.codeVerifier, this.#options.clientSecret],
    };
    const onEvent = this.#options.onEvent;
    const response = await sendWithPolicies(request, {
      ...policy,
      fetch: this.#options.fetch ?? globalThis.fetch,
      clock: this.#options.clock ?? { ...systemClock, now: this.#now },
      timeoutMs: this.#options.timeoutMs ?? 30_000,
      ...(this.#options.retry !== undefined && { retry: this.#options.retry }),
      listeners: onEvent ? [onEvent] : [],
    });
    let tokens: StoredTokens;
    try {
      tokens = processTokenResponse(this.#mode, response, this.#now());
    } catch (error) {
      throw describeTokenFailure(error, response, policy);
    }
    await this.#store.set(this.key, tokens);
    return tokens;
  }
}

/** Whether `pending` was issued for the token-store key `key` and the session binding hashed as `binding`. */
function issuedFor(pending: PendingAuthorization, key: string, binding: string | undefined): boolean {
  if (pending.key !== key) return false;
  if (pending.binding === undefined || binding === undefined) return pending.binding === binding;
  return constantTimeEqual(pending.binding, binding);
}

async function bindingHash(binding: string): Promise<string> {
  if (typeof binding !== "string" || binding === "") throw new ConfigurationError("binding must be a non-empty string");
  // The S256 computation: BASE64URL(SHA-256(binding)).
  return codeChallengeS256(binding);
}
