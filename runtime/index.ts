export { ClientCore, type ClientOptions, type OperationCall, type RequestOptions } from "./client-core.js";
export {
  type ApiKeyCredentials,
  type AuthOptions,
  type BasicCredentials,
  type BearerCredentials,
  type CredentialsByType,
  type GithubAppCredentials,
  type OAuth2Credentials,
  type TokenSource,
} from "./credentials.js";
export type * from "./definition.js";
export {
  ConfigurationError,
  isConfigurationError,
  isNetworkError,
  isProviderError,
  isSwitchboardError,
  NetworkError,
  ProviderError,
  SwitchboardError,
  type ProviderErrorInit,
} from "./errors.js";
export { encodeForm } from "./form.js";
export { encodePath } from "./path.js";
export type { WebhookEvent } from "./webhook-event.js";
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
