import type { ResponseHeaders } from "../transport/transport.js";

/**
 * Errors thrown by the runtime. One root class, a stable `code` on the class and the instance, and a
 * guard beside each class that works across two copies of the runtime (it checks a brand, not the
 * prototype chain). Messages never contain credentials.
 *
 * Instance fields are `declare`d and assigned in the constructor in declaration order: the same own
 * properties in the same order as class fields would give, without a field definition per property in
 * the bundle. The guards share hasCode/hasKind, so each is one call in the bundle.
 */

const BRAND = Symbol.for("switchboard.error");

/**
 * Whether a failed call may have had its effect applied: "unknown" when any attempt may have been
 * processed (a 5xx, a timeout, a connection lost after the request was written), "not_processed" when
 * no attempt was (the provider said so: rate limited, overloaded, a 4xx rejection; or nothing was sent).
 */
export type CallOutcome = "not_processed" | "unknown";

export class SwitchboardError extends Error {
  static readonly code: string = "switchboard_error";
  /**
   * The class's name as a string literal, which the instance's `name` takes: bundlers rename classes
   * (esbuild turns a class that refers to itself into `_TimeoutError`), so `new.target.name` cannot be
   * trusted. A subclass that does not set it gets `new.target.name`.
   */
  static readonly errorName: string = "SwitchboardError";
  declare readonly code: string;
  /** Set on every error a client call rejects with (not by the constructor): see CallOutcome. */
  declare readonly outcome?: CallOutcome;
  /** The idempotency key the call sent on every attempt: retry by hand with the same key. */
  declare readonly idempotencyKey?: string;
  /** Attempts the call made (0: it failed before sending anything). */
  declare readonly attempts?: number;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = Object.hasOwn(new.target, "errorName") ? (new.target as typeof SwitchboardError).errorName : new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** The body of every code guard (internal: each public guard names its own class and narrows to it). */
export function hasCode(value: unknown, code: string): boolean {
  return isSwitchboardError(value) && value.code === code;
}

/** The client was created or called with options that cannot work. */
export class ConfigurationError extends SwitchboardError {
  static override readonly errorName: string = "ConfigurationError";
  static override readonly code = "configuration";
  constructor(message: string) {
    super(ConfigurationError.code, message);
  }
}

export function isConfigurationError(value: unknown): value is ConfigurationError {
  return hasCode(value, ConfigurationError.code);
}

/** The request never got an HTTP response: connection refused or reset, DNS failure, abort. */
export class NetworkError extends SwitchboardError {
  static override readonly errorName: string = "NetworkError";
  static override readonly code = "network";
  declare readonly provider: string;
  /** The system or HTTP-client error code (ECONNRESET, UND_ERR_SOCKET, ...), when there is one. */
  declare readonly errorCode: string | undefined;
  constructor(provider: string, message: string, options?: { cause?: unknown; errorCode?: string }) {
    super(NetworkError.code, message, options);
    this.provider = provider;
    this.errorCode = options?.errorCode;
  }
}

export function isNetworkError(value: unknown): value is NetworkError {
  return hasCode(value, NetworkError.code);
}

export interface ProviderErrorInit {
  readonly provider: string;
  readonly status: number;
  readonly kind: string;
  readonly providerCode?: string | undefined;
  /** providerCode when the spec lists it under errors.codes. */
  readonly knownCode?: string | undefined;
  readonly type?: string | undefined;
  readonly message: string;
  readonly param?: string | undefined;
  readonly docUrl?: string | undefined;
  readonly requestId?: string | undefined;
  readonly retryable: boolean;
  readonly hint?: string | undefined;
  readonly raw: unknown;
  /** The answer's headers; secret ones read as "[redacted]". */
  readonly headers?: ResponseHeaders | undefined;
}

/**
 * The provider answered with an error. `code` is always "provider_error" (where the error came from);
 * `kind` is the normalized classification, and each common kind has a subclass (AuthenticationError,
 * NotFoundError, ...) built by createProviderError. `raw` (the parsed body) and `headers` (redacted)
 * are kept but not enumerable.
 */
export class ProviderError extends SwitchboardError {
  static override readonly errorName: string = "ProviderError";
  static override readonly code = "provider_error";
  declare readonly provider: string;
  declare readonly status: number;
  /** Normalized kind: authentication, rate_limited, card_declined, ... */
  declare readonly kind: string;
  /** The provider's own error code, when the body has one, listed in the spec or not. */
  declare readonly providerCode: string | undefined;
  /**
   * providerCode when the spec lists it (errors.codes), else undefined. Generated `XxxProviderError`
   * types read it as the provider's literal union, so it autocompletes, narrows in a switch, and a
   * misspelt code fails to compile; providerCode stays a plain string because providers send codes
   * no spec lists.
   */
  declare readonly knownCode: string | undefined;
  declare readonly type: string | undefined;
  declare readonly param: string | undefined;
  declare readonly docUrl: string | undefined;
  declare readonly requestId: string | undefined;
  /** Whether the client's retry rules repeat this answer (set by the pipeline to what it did or would do). */
  declare readonly retryable: boolean;
  declare readonly hint: string | undefined;
  /** Epoch ms the provider asked to be called again at (Retry-After), when it said; set by the pipeline. */
  declare readonly retryAt?: number;
  declare readonly raw: unknown;
  declare readonly headers: ResponseHeaders | undefined;

  constructor(init: ProviderErrorInit) {
    super(
      ProviderError.code,
      `${init.provider} answered ${init.status}${init.providerCode ? ` (${init.providerCode})` : ""}: ${init.message}`,
    );
    this.provider = init.provider;
    this.status = init.status;
    this.kind = init.kind;
    this.providerCode = init.providerCode;
    this.knownCode = init.knownCode;
    this.type = init.type;
    this.param = init.param;
    this.docUrl = init.docUrl;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.hint = init.hint;
    // defineProperties' defaults: not enumerable, not writable, not configurable.
    Object.defineProperties(this, { raw: { value: init.raw }, headers: { value: init.headers } });
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return hasCode(value, ProviderError.code);
}

/** The body of the ProviderError subclass guards: a ProviderError of that kind. */
function hasKind(value: unknown, kind: string): boolean {
  return isProviderError(value) && value.kind === kind;
}

/**
 * A rate limit stopped the call: the provider said so (429 or its equivalent) and asked for a wait
 * longer than the client may wait, or the local limiter could not grant a slot within the bucket's
 * maximum queue wait. `retryAt` (epoch ms) says when trying again makes sense, when known.
 */
export class RateLimitError extends SwitchboardError {
  static override readonly errorName: string = "RateLimitError";
  static override readonly code = "rate_limited";
  declare readonly provider: string;
  /** "provider": the provider answered rate-limited; "local": the client's own limiter gave up queueing. */
  declare readonly source: "provider" | "local";
  declare readonly bucket: string | undefined;
  declare readonly retryAt: number | undefined;
  constructor(
    provider: string,
    init: { source: "provider" | "local"; bucket?: string; retryAt?: number; message: string },
    options?: { cause?: unknown },
  ) {
    super(RateLimitError.code, init.message, options);
    this.provider = provider;
    this.source = init.source;
    this.bucket = init.bucket;
    this.retryAt = init.retryAt;
  }
}

export function isRateLimitError(value: unknown): value is RateLimitError {
  return hasCode(value, RateLimitError.code);
}

/** The circuit breaker is open: the provider failed too often, so the call failed fast without a request. */
export class CircuitOpenError extends SwitchboardError {
  static override readonly errorName: string = "CircuitOpenError";
  static override readonly code = "circuit_open";
  declare readonly provider: string;
  /** Epoch ms when the breaker lets a probe through again. */
  declare readonly retryAt: number;
  constructor(provider: string, retryAt: number) {
    super(CircuitOpenError.code, `${provider}: circuit open after repeated failures; next probe at ${new Date(retryAt).toISOString()}`);
    this.provider = provider;
    this.retryAt = retryAt;
  }
}

export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasCode(value, CircuitOpenError.code);
}

/** An attempt, or the whole call with its retries, ran past its time limit. */
export class TimeoutError extends SwitchboardError {
  static override readonly errorName: string = "TimeoutError";
  static override readonly code = "timeout";
  declare readonly provider: string;
  /** attempt: one attempt; total: the whole call; idle: a streamed answer sent nothing for that long. */
  declare readonly scope: "attempt" | "total" | "idle";
  declare readonly timeoutMs: number;
  constructor(provider: string, scope: "attempt" | "total" | "idle", timeoutMs: number) {
    const what = scope === "attempt" ? "attempt timed out" : scope === "total" ? "call timed out" : "stream sent nothing";
    super(TimeoutError.code, `${provider}: ${what} ${scope === "idle" ? "for" : "after"} ${timeoutMs} ms`);
    this.provider = provider;
    this.scope = scope;
    this.timeoutMs = timeoutMs;
  }
}

export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasCode(value, TimeoutError.code);
}

/**
 * A streamed answer broke its format: a line (or one event's data) longer than the stream's limit, an
 * event whose data is not the JSON the spec declares, or a stream that ended before its declared
 * terminator. The message names the provider and the fault, never the data.
 */
export class StreamProtocolError extends SwitchboardError {
  static override readonly errorName: string = "StreamProtocolError";
  static override readonly code = "stream_protocol";
  declare readonly provider: string;
  declare readonly reason: "line_too_long" | "invalid_json" | "truncated";
  constructor(provider: string, reason: "line_too_long" | "invalid_json" | "truncated", message: string, options?: { cause?: unknown }) {
    super(StreamProtocolError.code, `${provider}: ${message}`, options);
    this.provider = provider;
    this.reason = reason;
  }
}

export function isStreamProtocolError(value: unknown): value is StreamProtocolError {
  return hasCode(value, StreamProtocolError.code);
}

/**
 * A store the client depends on (rate-limit state, tokens, webhook dedup: memory, SQLite, Redis) could
 * not be reached in time or answered with an error, and fails closed. The message names the store and
 * the operation, never a key, a value or a token.
 */
export class StoreUnavailableError extends SwitchboardError {
  static override readonly errorName: string = "StoreUnavailableError";
  static override readonly code = "store_unavailable";
  /** The store (e.g. "redis-rate-limit") and the operation that failed. */
  declare readonly store: string;
  declare readonly operation: string;
  constructor(store: string, operation: string, reason: string, options?: { cause?: unknown }) {
    super(StoreUnavailableError.code, `${store}: ${operation} failed: ${reason}`, options);
    this.store = store;
    this.operation = operation;
  }
}

export function isStoreUnavailableError(value: unknown): value is StoreUnavailableError {
  return hasCode(value, StoreUnavailableError.code);
}

/** 401, or a code the spec classifies so: the credentials are missing, wrong, expired or revoked. */
export class AuthenticationError extends ProviderError {
  static override readonly errorName: string = "AuthenticationError";
  static readonly kind = "authentication";
}
/** The credentials are valid but may not do this (403, a missing scope). */
export class PermissionError extends ProviderError {
  static override readonly errorName: string = "PermissionError";
  static readonly kind = "permission";
}
export class NotFoundError extends ProviderError {
  static override readonly errorName: string = "NotFoundError";
  static readonly kind = "not_found";
}
/** The request was rejected as invalid (400, 422); `param` names the field when the provider says. */
export class ValidationError extends ProviderError {
  static override readonly errorName: string = "ValidationError";
  static readonly kind = "validation";
}
export class ConflictError extends ProviderError {
  static override readonly errorName: string = "ConflictError";
  static readonly kind = "conflict";
}
/** The idempotency key was reused with other parameters, or its first request is still running. */
export class IdempotencyConflictError extends ProviderError {
  static override readonly errorName: string = "IdempotencyConflictError";
  static readonly kind = "idempotency_conflict";
}
/** The provider failed or is overloaded (5xx, or a code the spec classifies so). */
export class ProviderUnavailableError extends ProviderError {
  static override readonly errorName: string = "ProviderUnavailableError";
  static readonly kind = "provider_unavailable";
}

/** The subclass of each kind, keyed by the class's own `kind` (pure: a bundle without the factory drops them). */
const KIND_CLASSES = /* @__PURE__ */ byKind([
  AuthenticationError,
  PermissionError,
  NotFoundError,
  ValidationError,
  ConflictError,
  IdempotencyConflictError,
  ProviderUnavailableError,
]);

function byKind(
  classes: readonly (typeof ProviderError & { readonly kind: string })[],
): ReadonlyMap<string, new (init: ProviderErrorInit) => ProviderError> {
  return new Map(classes.map((Class) => [Class.kind, Class]));
}

/**
 * The flat factory: the ProviderError subclass of `init.kind`, or ProviderError itself for kinds
 * without one (rate_limited, timeout, unknown and provider kinds such as card_declined). A provider's
 * rate-limit answer reaches the caller as a RateLimitError (source "provider") whose `cause` is the
 * ProviderError of kind rate_limited, so one `instanceof RateLimitError` covers every rate limit.
 */
export function createProviderError(init: ProviderErrorInit): ProviderError {
  const Class = KIND_CLASSES.get(init.kind) ?? ProviderError;
  return new Class(init);
}

export function isAuthenticationError(value: unknown): value is AuthenticationError {
  return hasKind(value, AuthenticationError.kind);
}
export function isPermissionError(value: unknown): value is PermissionError {
  return hasKind(value, PermissionError.kind);
}
export function isNotFoundError(value: unknown): value is NotFoundError {
  return hasKind(value, NotFoundError.kind);
}
export function isValidationError(value: unknown): value is ValidationError {
  return hasKind(value, ValidationError.kind);
}
export function isConflictError(value: unknown): value is ConflictError {
  return hasKind(value, ConflictError.kind);
}
export function isIdempotencyConflictError(value: unknown): value is IdempotencyConflictError {
  return hasKind(value, IdempotencyConflictError.kind);
}
export function isProviderUnavailableError(value: unknown): value is ProviderUnavailableError {
  return hasKind(value, ProviderUnavailableError.kind);
}

/** An API version the spec does not list as supported was asked for, per client or per call. */
export class UnsupportedVersionError extends SwitchboardError {
  static override readonly errorName: string = "UnsupportedVersionError";
  static override readonly code = "unsupported_version";
  declare readonly provider: string;
  declare readonly version: string;
  declare readonly supported: readonly string[];
  constructor(provider: string, version: string, supported: readonly string[]) {
    super(
      UnsupportedVersionError.code,
      supported.length === 0
        ? `${provider} has no API versions to choose from (asked for "${version}")`
        : `API version "${version}" is not supported by this ${provider} client (supported: ${supported.join(", ")})`,
    );
    this.provider = provider;
    this.version = version;
    this.supported = supported;
  }
}

export function isUnsupportedVersionError(value: unknown): value is UnsupportedVersionError {
  return hasCode(value, UnsupportedVersionError.code);
}
