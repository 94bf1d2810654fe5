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
export { signWebhook, type SignedWebhook, type SignWebhookInput } from "./webhooks/sign.js";
export { verifyWebhookDelivery, verifyWebhookDeliverySync } from "./webhooks/verify.js";
