/**
 * `@switchboard/runtime/contract`: what generated code links against, and what the tool itself reads of the
 * runtime (the mock provider counts buckets as the client does). Applications import `@switchboard/runtime`
 * instead; this entry changes with the generator, in step with the code it emits.
 */
export { ClientCore, type ApiResponse, type ClientOptions, type OperationCall, type RequestOptions } from "./client/client-core.js";
export { ApiPromise, type TypedResponse } from "./client/api-promise.js";
export { clientPartsFor, type ClientPartName, type ClientParts } from "./client/parts.js";
export { rateLimitHeaderSync } from "./policies/header-sync.js";
export { urlVariables } from "./client/variables.js";
export { multipartAndRawBodies } from "./client/bodies.js";
export { providerUrls } from "./client/provider-url.js";
export { operationAuthModes } from "./client/auth-choice.js";
export { versionMigrations, versionRequestMigrations } from "./versions/migrations.js";
export { deprecatedVersionWarnings } from "./versions/versions.js";
export { paginate, Paginated, type ItemsAt, type Page } from "./client/pagination.js";
export { sendBatched, type BatchPart, type BatchResult } from "./client/batch.js";
export { EventStream, openStream, streamedAnswers, type StreamEvent, type StreamResponse } from "./client/stream.js";
export { encodePath } from "./client/path.js";
export type {
  ApiKeyCredentials,
  AuthOptions,
  BasicCredentials,
  BearerCredentials,
  CredentialsByType,
  GithubAppCredentials,
  OAuth2Credentials,
  TokenProvider,
  TokenSource,
} from "./client/credentials.js";
export type * from "./definition.js";
export { isProviderError, ProviderError } from "./errors/errors.js";
export { errorFieldPaths, normalizeError, type ErrorAnswer, type NormalizeOptions } from "./errors/error-normalizer.js";
export { recoverFrom, type RecoverOptions, type RecoveryHandler, type RecoveryHandlers } from "./errors/recovery.js";
export type { WebhookEvent } from "./webhooks/webhook-event.js";
export type { WebhookDelivery, WebhookVerifyOptions } from "./webhooks/delivery.js";
export { WebhookRouter } from "./webhooks/router.js";
export { verifyWebhookDelivery } from "./webhooks/verify-all.js";
export { verifyWebhookWith } from "./webhooks/verify.js";
export { webhookPartsFor, type WebhookPartName, type WebhookVerifierParts } from "./webhooks/parts.js";
export { handshakeAnswerContent, webhookHandshakes } from "./webhooks/handshake.js";
export { webhookPublicKeys } from "./webhooks/public-keys.js";
export { webhookAlgorithmHeader, webhookBodyValues, webhookForms, webhookTimestampFormats } from "./webhooks/verifier-parts.js";
export { webhookJwt, webhookSharedSecret } from "./webhooks/token-schemes.js";
/** Which rate-limit buckets an operation draws from (for the mock provider, which plays the provider's side). */
export { bucketsFor, takesIdempotencyKey } from "./policies/bucket-routing.js";
/** Which versions a chain of migrations joins (the generator's params types follow the pinned version). */
export { findMigrationChain } from "./versions/migrations.js";
