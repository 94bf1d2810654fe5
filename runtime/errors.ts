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
  constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super(NetworkError.code, message, options);
    this.provider = provider;
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
  readonly type?: string;
  readonly message: string;
  readonly param?: string;
  readonly docUrl?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly raw: unknown;
}

/** The provider answered with an error. `raw` (the parsed body) is kept but not enumerable. */
export class ProviderError extends SwitchboardError {
  static override readonly code = "provider_error";
  readonly provider: string;
  readonly status: number;
  /** Normalized kind: authentication, rate_limited, card_declined, ... */
  readonly kind: string;
  /** The provider's own error code, when the body has one. */
  readonly providerCode: string | undefined;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly docUrl: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  declare readonly raw: unknown;

  constructor(init: ProviderErrorInit) {
    super(
      ProviderError.code,
      `${init.provider} answered ${init.status}${init.providerCode ? ` (${init.providerCode})` : ""}: ${init.message}`,
    );
    this.provider = init.provider;
    this.status = init.status;
    this.kind = init.kind;
    this.providerCode = init.providerCode;
    this.type = init.type;
    this.param = init.param;
    this.docUrl = init.docUrl;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.hint = init.hint;
    Object.defineProperty(this, "raw", { value: init.raw, enumerable: false });
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return isSwitchboardError(value) && value.code === ProviderError.code;
}
