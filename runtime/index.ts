/**
 * `@switchboard/runtime`: what an application imports beside its generated clients: the errors it
 * catches (classes and guards), the options and events of a client, transports and stores it may plug in,
 * and webhook handling. Generated code imports `@switchboard/runtime/contract`.
 */
export type {
  ApiResponse,
  AddedBucket,
  BucketOverrides,
  CircuitBreakerOverrides,
  ClientOptions,
  RateLimitOptions,
  RequestOptions,
  RetryOverrides,
  TimeoutOptions,
} from "./client/client-core.js";
export { ApiPromise, type TypedResponse } from "./client/api-promise.js";
export { Paginated, type Page } from "./client/pagination.js";
export { sendBatched, type BatchPart, type BatchResult } from "./client/batch.js";
export { EventStream, type StreamEvent, type StreamResponse } from "./client/stream.js";
export { SseParser, type SseEvent, type StreamParserOptions } from "./client/sse.js";
export { NdjsonParser } from "./client/ndjson.js";
export type {
  ApiKeyCredentials,
  AuthOptions,
  BasicCredentials,
  BearerCredentials,
  GithubAppCredentials,
  OAuth2Credentials,
  TokenProvider,
  TokenSource,
} from "./client/credentials.js";
export type { ClientEvent, ClientEventListener } from "./client/events.js";
export type { BreakerState } from "./policies/circuit-breaker.js";
export type { RetryReason } from "./policies/retry.js";
export {
  MemoryRateLimitStore,
  type BucketLimits,
  type LimiterStore,
  type RateLimitStore,
  type RateLimitStoreFailure,
  type SharedRateLimitStore,
} from "./policies/rate-limit-store.js";
export { guardRateLimitStore } from "./policies/store-guard.js";
export { systemClock, type Clock } from "./clock.js";
export type { StoreFailureMode, StoreGuardOptions, StoreHealthEvent } from "./stores/store-failure.js";
export {
  AuthenticationError,
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
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
  StreamProtocolError,
  isStreamProtocolError,
  SwitchboardError,
  TimeoutError,
  UnsupportedVersionError,
  ValidationError,
} from "./errors/errors.js";
export {
  checkWebhookVersion,
  versionLifecycle,
  type DeprecationSignal,
  type VersionLifecycle,
  type WebhookVersionCheck,
} from "./versions/versions.js";
export type { MigrationResult } from "./versions/migrations.js";
export {
  isUnrecoveredError,
  UnrecoveredError,
  type RecoverOptions,
  type RecoveryCase,
  type RecoveryEvent,
  type RecoveryHandler,
  type RecoveryHandlers,
} from "./errors/recovery.js";
export { fetchTransport } from "./transport/fetch.js";
export type { BodyStream, ResponseHeaders, Transport, TransportRequest, TransportResponse } from "./transport/transport.js";
export type { WebhookAcknowledgement, WebhookEvent } from "./webhooks/webhook-event.js";
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
  type WebhookEventOfType,
  type WebhookEventHandler,
  type WebhookRouter,
  type WebhookRouterOptions,
} from "./webhooks/router.js";
export { signWebhook, type SignedWebhook, type SignWebhookInput } from "./webhooks/sign.js";
