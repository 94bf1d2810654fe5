/**
 * Pending authorizations: what the callback needs (code verifier, redirect URI) and what the state was
 * issued for (the token-store key, an optional session binding) under a random `state`, single use,
 * with a time to live. Entries are found by the SHA-256 of the state, then the state itself
 * is compared in constant time. The map key, BASE64URL(SHA-256(state)), is the PKCE S256 computation,
 * so it is codeChallengeS256.
 */
import { codeChallengeS256, constantTimeEqual } from "./pkce.js";

export interface PendingAuthorization {
  readonly state: string;
  readonly codeVerifier: string | undefined;
  readonly redirectUri: string;
  /**
   * The token-store key the grant will be stored under: the key of the flow that issued the state. A
   * flow refuses a state issued for another key, so one shared store serves every user's flow.
   */
  readonly key: string;
  /**
   * BASE64URL(SHA-256) of the session binding given to start(), when one was: finish() must be given
   * the same binding. The binding itself (a session id) is never stored.
   */
  readonly binding?: string;
  /** Epoch ms after which the state is refused. */
  readonly expiresAt: number;
}

/** A shared implementation must keep every field of the entry: a state whose `key` is lost is refused. */
export interface AuthorizationStateStore {
  save(pending: PendingAuthorization): void | Promise<void>;
  /** Removes and returns the entry for `state`; undefined when unknown, expired or already taken. */
  take(state: string, now: number): PendingAuthorization | undefined | Promise<PendingAuthorization | undefined>;
}

/** In-process pending authorizations; use one shared store (a database) when callbacks can land on another process. */
export class MemoryStateStore implements AuthorizationStateStore {
  readonly #entries = new Map<string, PendingAuthorization>();

  async save(pending: PendingAuthorization): Promise<void> {
    this.#entries.set(await codeChallengeS256(pending.state), pending);
  }

  async take(state: string, now: number): Promise<PendingAuthorization | undefined> {
    // Abandoned authorizations go when any callback arrives.
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    const key = await codeChallengeS256(state);
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    if (!entry || entry.expiresAt <= now || !constantTimeEqual(entry.state, state)) return undefined;
    return entry;
  }
}
