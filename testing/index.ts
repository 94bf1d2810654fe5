/**
 * `switchboard/testing`: a mock of any provider a spec describes, for tests and local development.
 * See docs/testing.md.
 */
export { fastClock, type FastClock } from "./clock.js";
export { errorAnswer, type MockErrorAnswer, type MockErrorKind } from "./errors.js";
export {
  MockUsageError,
  startMockProvider,
  type MockClock,
  type MockProvider,
  type MockBucket,
  type MockProviderOptions,
  type MockRequestRecord,
  type TriggerOptions,
  type TriggerResult,
} from "./mock-provider.js";
export type { MockOAuthClient } from "./oauth.js";
export { signDelivery, type SignDeliveryInput } from "./sign.js";
export { loadMockSpec, MockSpecError, type MockOperation, type MockSpec } from "./spec.js";
