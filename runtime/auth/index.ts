export {
  AuthorizationStateError,
  isAuthorizationStateError,
  isOAuthError,
  isReauthorizationRequiredError,
  isTokenStoreError,
  OAuthError,
  ReauthorizationRequiredError,
  TokenStoreError,
} from "./errors.js";
export {
  OAuth2Authorization,
  type AuthorizationBinding,
  type OAuth2AuthorizationOptions,
  type StartedAuthorization,
} from "./authorization.js";
export { createAppJwt, GithubAppTokenProvider, type AppJwtOptions, type GithubAppTokenProviderOptions } from "./github-app.js";
export {
  authorizationCodeRequest,
  buildAuthorizationUrl,
  clientCredentialsRequest,
  processRevocationResponse,
  processTokenResponse,
  refreshTokenRequest,
  revocationRequest,
  sendTokenRequest,
  tokenRequest,
  withUrlVariables,
  type AuthorizationUrlParams,
  type OAuth2Client,
  type TokenHttpRequest,
  type TokenHttpResponse,
} from "./oauth2.js";
export { codeChallengeS256, generateCodeVerifier, randomToken } from "./pkce.js";
export { MemoryStateStore, type AuthorizationStateStore, type PendingAuthorization } from "./state-store.js";
export { oauth2Mode, OAuth2TokenManager, type OAuth2TokenManagerOptions, type RevokeResult } from "./token-manager.js";
export {
  coordinatesRefreshes,
  MemoryTokenStore,
  type RefreshCoordinator,
  type StoredTokens,
  type TokenFieldValue,
  type TokenStore,
} from "./token-store.js";
