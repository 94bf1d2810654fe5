/**
 * Auth errors. Each has a stable `code` (on the class and the instance) and a guard that works across
 * two copies of the runtime. Messages name what went wrong, never a token, secret or code.
 */
import { hasCode, SwitchboardError } from "../errors/errors.js";

/** The token endpoint (or the authorization callback) answered with an OAuth error, or with nonsense. */
export class OAuthError extends SwitchboardError {
  static override readonly errorName: string = "OAuthError";
  static override readonly code = "oauth_error";
  /**
   * The OAuth error code (`invalid_grant`, Slack's `invalid_code`, ...) as the answer gave it when it is
   * code-shaped (letters, digits, `_ . : -`, at most 100); `invalid_grant` for any value the spec lists in
   * `tokenResponse.invalidGrantCodes` (matched exactly, whatever its characters: `Invalid Token!`);
   * else `invalid_response`, so free text from the answer never lands here.
   */
  declare readonly error: string;
  /** HTTP status of the token endpoint's answer; undefined for a callback error. */
  declare readonly status: number | undefined;
  constructor(error: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(OAuthError.code, message, options);
    this.error = error;
    this.status = options?.status;
  }
}

export function isOAuthError(value: unknown): value is OAuthError {
  return hasCode(value, OAuthError.code);
}

/**
 * The stored grant can no longer be used (refresh token revoked, expired or already rotated, or no
 * refresh token at all): a person has to authorize again. Never retried.
 */
export class ReauthorizationRequiredError extends SwitchboardError {
  static override readonly errorName: string = "ReauthorizationRequiredError";
  static override readonly code = "reauthorization_required";
  constructor(message: string, options?: { cause?: unknown }) {
    super(ReauthorizationRequiredError.code, message, options);
  }
}

export function isReauthorizationRequiredError(value: unknown): value is ReauthorizationRequiredError {
  return hasCode(value, ReauthorizationRequiredError.code);
}

/** The callback's `state` is missing, unknown, expired or already used: possible CSRF or replay. */
export class AuthorizationStateError extends SwitchboardError {
  static override readonly errorName: string = "AuthorizationStateError";
  static override readonly code = "invalid_state";
  constructor(message: string) {
    super(AuthorizationStateError.code, message);
  }
}

export function isAuthorizationStateError(value: unknown): value is AuthorizationStateError {
  return hasCode(value, AuthorizationStateError.code);
}

/** A token store's data cannot be trusted: truncated, tampered with, or encrypted with an unknown key. */
export class TokenStoreError extends SwitchboardError {
  static override readonly errorName: string = "TokenStoreError";
  static override readonly code = "token_store_corrupt";
  constructor(message: string, options?: { cause?: unknown }) {
    super(TokenStoreError.code, message, options);
  }
}

export function isTokenStoreError(value: unknown): value is TokenStoreError {
  return hasCode(value, TokenStoreError.code);
}
