/** Where tokens live between calls and processes. */
import type { StoreFaultMode } from "../policies/store-guard.js";

/** Tokens of one grant. Never logged; stores keep them out of errors and events. */
export interface StoredTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch ms; absent: the access token does not expire. */
  readonly expiresAt?: number;
  /** Epoch ms the access token was obtained: with expiresAt, its lifetime, which caps the refresh skew. */
  readonly obtainedAt?: number;
  /** Granted scopes as the provider returned them. */
  readonly scope?: string;
  /**
   * Values the spec's `tokenResponse.fields` keep from the token answer, by the spec's names (Salesforce's
   * `instanceUrl`); a refresh answer without one keeps the value before. As sensitive as the tokens:
   * stored with them, never in an error or event. Absent: the spec keeps none, or the answer had none.
   */
  readonly fields?: Readonly<Record<string, TokenFieldValue>>;
}

/** A value kept from a token answer: JSON as the answer had it (a form-encoded answer gives strings). */
export type TokenFieldValue = string | number | boolean | null | readonly TokenFieldValue[] | { readonly [name: string]: TokenFieldValue };

/** A key-value store of token sets. The key names the grant (provider, mode, account). */
export interface TokenStore {
  get(key: string): Promise<StoredTokens | undefined>;
  /** Must be durable when it resolves: a rotated refresh token is only used after set() resolved. */
  set(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * What a token manager does when this store fails (a rejection, a synchronous throw, no answer within
   * its time limit). `closed` (the default): the token request fails with StoreUnavailableError.
   * `open`: tokens the manager holds in memory are used, and new ones are handed out before they are
   * saved (they are saved again on the next call): a crash before then loses a rotated refresh token.
   */
  readonly onFailure?: StoreFaultMode | undefined;
}

/**
 * A store that several processes share may coordinate refreshes: only one of them renews a grant at a
 * time, the others wait and adopt its tokens, so a rotating authorization server never sees a refresh
 * token twice. OAuth2TokenManager uses it when the store has it.
 */
export interface RefreshCoordinator {
  /**
   * Runs `refresh` while holding the grant's refresh lease, shared by every process using the store.
   * `refresh` gets the tokens stored now (read after the lease was taken) and returns the tokens to
   * keep: the ones it was given to adopt them, or new ones, which are written only if the lease is
   * still held (a holder paused past its lease never overwrites a newer holder's tokens; its tokens
   * are dropped). Resolves with the tokens stored in the end.
   */
  refreshExclusive(key: string, refresh: (stored: StoredTokens | undefined) => Promise<StoredTokens>): Promise<StoredTokens | undefined>;
}

/** Whether `store` coordinates refreshes between processes. */
export function coordinatesRefreshes(store: TokenStore): store is TokenStore & RefreshCoordinator {
  return typeof (store as Partial<RefreshCoordinator>).refreshExclusive === "function";
}

/** The default store: tokens in this process's memory only. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredTokens>();
  get(key: string): Promise<StoredTokens | undefined> {
    return Promise.resolve(this.#tokens.get(key));
  }
  set(key: string, tokens: StoredTokens): Promise<void> {
    this.#tokens.set(key, { ...tokens });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.#tokens.delete(key);
    return Promise.resolve();
  }
}
