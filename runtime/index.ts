export {
  ClientCore,
  type ApiResponse,
  type BucketOverrides,
  type CircuitBreakerOverrides,
  type ClientOptions,
  type OperationCall,
  type RateLimitOptions,
  type RequestOptions,
  type RetryOverrides,
  type TimeoutOptions,
} from "./client/client-core.js";
export type { BreakerState } from "./policies/circuit-breaker.js";
export { systemClock, type Clock } from "./clock.js";
export {
  type ApiKeyCredentials,
  type AuthOptions,
  type BasicCredentials,
  type BearerCredentials,
  type CredentialsByType,
  type GithubAppCredentials,
  type OAuth2Credentials,
  type TokenProvider,
  type TokenSource,
} from "./client/credentials.js";
export type * from "./definition.js";
export {
  AuthenticationError,
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
  createProviderError,
  IdempotencyConflictError,
  isAuthenticationError,
  isCircuitOpenError,
  isConfigurationError,
  isConflictError,
  isIdempotencyConflictError,
  isNetworkError,
  isNotFoundError,
  isPermissionError,
  isProviderError,
  isProviderUnavailableError,
  isRateLimitError,
  isStoreUnavailableError,
  isSwitchboardError,
  isTimeoutError,
  isUnsupportedVersionError,
  isValidationError,
  NetworkError,
  NotFoundError,
  PermissionError,
  ProviderError,
  ProviderUnavailableError,
  RateLimitError,
  StoreUnavailableError,
  SwitchboardError,
  TimeoutError,
  UnsupportedVersionError,
  ValidationError,
  type CallOutcome,
  type ProviderErrorInit,
} from "./errors/errors.js";
export { kindOfStatus, normalizeError, type ErrorAnswer, type NormalizeOptions } from "./errors/error-normalizer.js";
export { findMigrationChain, migratePayload, type MigrationResult } from "./versions/migrations.js";
export {
  checkVersion,
  checkWebhookVersion,
  readDeprecation,
  versionLifecycle,
  type DeprecationSignal,
  type VersionLifecycle,
  type WebhookVersionCheck,
} from "./versions/versions.js";
export type { ClientEvent, ClientEventListener } from "./client/events.js";
export { encodeForm, type FormEncoding } from "./client/form.js";
export { nextLink, paginate, Paginated, type ItemsAt, type Page } from "./client/pagination.js";
export { ApiPromise, type TypedResponse } from "./client/api-promise.js";
export { encodePath } from "./client/path.js";
export { MemoryRateLimitStore, type BucketLimits, type RateLimitStore, type StoreFailureMode } from "./policies/rate-limit-store.js";
export type { RetryReason } from "./policies/retry.js";
export { fetchTransport } from "./transport/fetch.js";
export {
  TRANSPORT_TIMEOUT_CODES,
  type ResponseHeaders,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "./transport/transport.js";
export type { WebhookEvent } from "./webhooks/webhook-event.js";
export type { WebhookDelivery, WebhookVerifyOptions } from "./webhooks/delivery.js";
export { isWebhookVerificationError, WebhookVerificationError, type WebhookVerificationErrorCode } from "./webhooks/errors.js";
export {
  DedupStoreFullError,
  isDedupStoreFullError,
  MemoryDedupStore,
  type Awaitable,
  type DedupBeginResult,
  type DedupStore,
  type MemoryDedupStoreOptions,
} from "./webhooks/dedup-store.js";
export {
  createWebhookHandler,
  WEBHOOK_REJECTION_STATUS,
  webhookErrorResponse,
  type WebhookErrorContext,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookResponse,
  type WebhookRunnerErrorCode,
} from "./webhooks/handler.js";
export {
  isWebhookHandlerError,
  WebhookHandlerError,
  WebhookRouter,
  type WebhookEventOfType,
  type WebhookEventHandler,
  type WebhookRouterOptions,
} from "./webhooks/router.js";
export { signWebhook, type SignedWebhook, type SignWebhookInput } from "./webhooks/sign.js";
export { verifyWebhookDelivery, verifyWebhookDeliverySync } from "./webhooks/verify.js";
