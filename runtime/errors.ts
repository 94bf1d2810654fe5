import type { ResponseHeaders } from "./transport/transport.js";

/**
 * Errors thrown by the runtime. One root class, a stable `code` on the class and the instance, and a
 * guard beside each class that works across two copies of the runtime (it checks a brand, not the
 * prototype chain). Messages never contain credentials.
 */

const BRAND = Symbol.for("switchboard.error");

export class SwitchboardError extends Error {
  static readonly code: string = "switchboard_error";
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** The client was created or called with options that cannot work. */
export class ConfigurationError extends SwitchboardError {
  static override readonly code = "configuration";
  constructor(message: string) {
    super(ConfigurationError.code, message);
  }
}

export function isConfigurationError(value: unknown): value is ConfigurationError {
  return isSwitchboardError(value) && value.code === ConfigurationError.code;
}

/** The request never got an HTTP response: connection refused or reset, DNS failure, abort. */
export class NetworkError extends SwitchboardError {
  static override readonly code = "network";
  readonly provider: string;
  /** The system or HTTP-client error code (ECONNRESET, UND_ERR_SOCKET, ...), when there is one. */
  readonly errorCode: string | undefined;
  constructor(provider: string, message: string, options?: { cause?: unknown; errorCode?: string }) {
    super(NetworkError.code, message, options);
    this.provider = provider;
    this.errorCode = options?.errorCode;
  }
}

export function isNetworkError(value: unknown): value is NetworkError {
  return isSwitchboardError(value) && value.code === NetworkError.code;
}

export interface ProviderErrorInit {
  readonly provider: string;
  readonly status: number;
  readonly kind: string;
  readonly providerCode?: string;
  /** providerCode when the spec lists it under errors.codes. */
  readonly knownCode?: string;
  readonly type?: string;
  readonly message: string;
  readonly param?: string;
  readonly docUrl?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly raw: unknown;
  /** The answer's headers; secret ones read as "[redacted]". */
  readonly headers?: ResponseHeaders;
}

/**
 * The provider answered with an error. `code` is always "provider_error" (where the error came from);
 * `kind` is the normalized classification, and each common kind has a subclass (AuthenticationError,
 * NotFoundError, ...) built by createProviderError. `raw` (the parsed body) and `headers` (redacted)
 * are kept but not enumerable.
 */
export class ProviderError extends SwitchboardError {
  static override readonly code = "provider_error";
  readonly provider: string;
  readonly status: number;
  /** Normalized kind: authentication, rate_limited, card_declined, ... */
  readonly kind: string;
  /** The provider's own error code, when the body has one, listed in the spec or not. */
  readonly providerCode: string | undefined;
  /**
   * providerCode when the spec lists it (errors.codes), else undefined. Generated `XxxProviderError`
   * types read it as the provider's literal union, so it autocompletes, narrows in a switch, and a
   * misspelt code fails to compile; providerCode stays a plain string because providers send codes
   * no spec lists.
   */
  readonly knownCode: string | undefined;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly docUrl: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
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
    Object.defineProperty(this, "raw", { value: init.raw, enumerable: false });
    Object.defineProperty(this, "headers", { value: init.headers, enumerable: false });
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return isSwitchboardError(value) && value.code === ProviderError.code;
}

/**
 * A rate limit stopped the call: the provider said so (429 or its equivalent) and asked for a wait
 * longer than the client may wait, or the local limiter could not grant a slot within the bucket's
 * maximum queue wait. `retryAt` (epoch ms) says when trying again makes sense, when known.
 */
export class RateLimitError extends SwitchboardError {
  static override readonly code = "rate_limited";
  readonly provider: string;
  /** "provider": the provider answered rate-limited; "local": the client's own limiter gave up queueing. */
  readonly source: "provider" | "local";
  readonly bucket: string | undefined;
  readonly retryAt: number | undefined;
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
  return isSwitchboardError(value) && value.code === RateLimitError.code;
}

/** The circuit breaker is open: the provider failed too often, so the call failed fast without a request. */
export class CircuitOpenError extends SwitchboardError {
  static override readonly code = "circuit_open";
  readonly provider: string;
  /** Epoch ms when the breaker lets a probe through again. */
  readonly retryAt: number;
  constructor(provider: string, retryAt: number) {
    super(CircuitOpenError.code, `${provider}: circuit open after repeated failures; next probe at ${new Date(retryAt).toISOString()}`);
    this.provider = provider;
    this.retryAt = retryAt;
  }
}

export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return isSwitchboardError(value) && value.code === CircuitOpenError.code;
}

/** An attempt, or the whole call with its retries, ran past its time limit. */
export class TimeoutError extends SwitchboardError {
  static override readonly code = "timeout";
  readonly provider: string;
  readonly scope: "attempt" | "total";
  readonly timeoutMs: number;
  constructor(provider: string, scope: "attempt" | "total", timeoutMs: number) {
    super(TimeoutError.code, `${provider}: ${scope === "attempt" ? "attempt" : "call"} timed out after ${timeoutMs} ms`);
    this.provider = provider;
    this.scope = scope;
    this.timeoutMs = timeoutMs;
  }
}

export function isTimeoutError(value: unknown): value is TimeoutError {
  return isSwitchboardError(value) && value.code === TimeoutError.code;
}

/** 401, or a code the spec classifies so: the credentials are missing, wrong, expired or revoked. */
export class AuthenticationError extends ProviderError {
  static readonly kind = "authentication";
}
/** The credentials are valid but may not do this (403, a missing scope). */
export class PermissionError extends ProviderError {
  static readonly kind = "permission";
}
export class NotFoundError extends ProviderError {
  static readonly kind = "not_found";
}
/** The request was rejected as invalid (400, 422); `param` names the field when the provider says. */
export class ValidationError extends ProviderError {
  static readonly kind = "validation";
}
export class ConflictError extends ProviderError {
  static readonly kind = "conflict";
}
/** The idempotency key was reused with other parameters, or its first request is still running. */
export class IdempotencyConflictError extends ProviderError {
  static readonly kind = "idempotency_conflict";
}
/** The provider failed or is overloaded (5xx, or a code the spec classifies so). */
export class ProviderUnavailableError extends ProviderError {
  static readonly kind = "provider_unavailable";
}

const KIND_CLASSES: Readonly<Record<string, new (init: ProviderErrorInit) => ProviderError>> = {
  authentication: AuthenticationError,
  permission: PermissionError,
  not_found: NotFoundError,
  validation: ValidationError,
  conflict: ConflictError,
  idempotency_conflict: IdempotencyConflictError,
  provider_unavailable: ProviderUnavailableError,
};

/**
 * The flat factory: the ProviderError subclass of `init.kind`, or ProviderError itself for kinds
 * without one (rate_limited, timeout, unknown and provider kinds such as card_declined). A provider's
 * rate-limit answer reaches the caller as a RateLimitError (source "provider") whose `cause` is the
 * ProviderError of kind rate_limited, so one `instanceof RateLimitError` covers every rate limit.
 */
export function createProviderError(init: ProviderErrorInit): ProviderError {
  const Class = Object.hasOwn(KIND_CLASSES, init.kind) ? KIND_CLASSES[init.kind]! : ProviderError;
  return new Class(init);
}

export function isAuthenticationError(value: unknown): value is AuthenticationError {
  return isProviderError(value) && value.kind === AuthenticationError.kind;
}
export function isPermissionError(value: unknown): value is PermissionError {
  return isProviderError(value) && value.kind === PermissionError.kind;
}
export function isNotFoundError(value: unknown): value is NotFoundError {
  return isProviderError(value) && value.kind === NotFoundError.kind;
}
export function isValidationError(value: unknown): value is ValidationError {
  return isProviderError(value) && value.kind === ValidationError.kind;
}
export function isConflictError(value: unknown): value is ConflictError {
  return isProviderError(value) && value.kind === ConflictError.kind;
}
export function isIdempotencyConflictError(value: unknown): value is IdempotencyConflictError {
  return isProviderError(value) && value.kind === IdempotencyConflictError.kind;
}
export function isProviderUnavailableError(value: unknown): value is ProviderUnavailableError {
  return isProviderError(value) && value.kind === ProviderUnavailableError.kind;
}

/** An API version the spec does not list as supported was asked for, per client or per call. */
export class UnsupportedVersionError extends SwitchboardError {
  static override readonly code = "unsupported_version";
  readonly provider: string;
  readonly version: string;
  readonly supported: readonly string[];
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
  return isSwitchboardError(value) && value.code === UnsupportedVersionError.code;
}
