/** Where tokens live between calls and processes. */

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
}

/** A key-value store of token sets. The key names the grant (provider, mode, account). */
export interface TokenStore {
  get(key: string): Promise<StoredTokens | undefined>;
  /** Must be durable when it resolves: a rotated refresh token is only used after set() resolved. */
  set(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
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
