/**
 * The one table of the spec's defaults. The model stage (model.ts, operations/, webhook-events.ts) fills
 * every field a spec leaves out from here, so the IR and the generated definitions carry the value;
 * emitters print the IR and apply none. test/generator/model/defaults.test.ts checks a spec that omits
 * every optional field gets each value below, and that no other model or emit file writes a literal
 * fallback (`?? "..."`, `?? 3`, `?? [..]`).
 *
 * RUNTIME_DEFAULTS lists the exceptions: fields the model leaves out of a definition when the spec's
 * value is the runtime's own default for a hand-written definition, to keep generated code small (issue
 * #13, item 4). The runtime applies those; the same test checks each against the runtime's code.
 */
export const DEFAULTS = {
  encoding: { query: "repeat", form: "indices", literalBrackets: false },
  auth: {
    apiKeyPrefix: "",
    basicPasswordOptional: false,
    bearerHeader: "authorization",
    bearerPrefix: "Bearer ",
  },
  oauth2: {
    pkce: "supported",
    tokenEndpointAuthMethod: "client_secret_basic",
    scopeSeparator: " ",
    accessTokenPath: "$.access_token",
    refreshTokenPath: "$.refresh_token",
    expiresInPath: "$.expires_in",
    refreshSkew: "60s",
    header: "authorization",
    prefix: "Bearer ",
  },
  githubApp: { jwtLifetime: "9m", clockSkew: "60s", refreshSkew: "5m" },
  rateLimits: { resetFormat: "epoch-seconds", maxQueueWait: "30s" },
  retry: {
    maxAttempts: 3,
    base: "500ms",
    cap: "30s",
    jitter: "full",
    statuses: [408, 429, 500, 502, 503, 504],
    networkErrors: ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "UND_ERR_SOCKET"],
    retryAfterHeaders: ["retry-after-ms", "retry-after"],
    maxWait: "60s",
    hintRetryWhen: "true",
    hintStopWhen: "false",
    idempotencyMethods: ["POST"],
    idempotencyPrefix: "",
    budgetRatio: 0.2,
    budgetWindow: "10s",
    budgetMinPerSecond: 10,
  },
  circuitBreaker: { scope: "provider", ratio: 0.5, window: "30s", minRequests: 20, openFor: "30s", halfOpenProbes: 1 },
  errors: { when: [{ status: "4xx" }, { status: "5xx" }] },
  webhooks: {
    maxBodySize: 1_048_576,
    status: 200,
    payloadEncoding: "json",
    allowEmpty: false,
    handshakeRespond: "text",
    handshakeHmacEncoding: "hex",
    signaturePrefix: "",
    signatureSeparator: ",",
    secretEncoding: "raw",
    toleranceDirection: "both",
    bodyHashAlgorithm: "sha256",
    bodyHashEncoding: "hex",
    urlDefaultPort: "exact",
    eventsImportEventType: "key",
  },
  operations: {
    deprecated: false,
    bodyRequired: false,
    importGroupBy: "operationId",
    paginationItems: "$",
    pageStart: 1,
  },
} as const;

/**
 * Values a generated definition leaves out because the runtime applies the same one to a definition
 * that omits the field (a JSON body, no buckets of the operation's own, idempotency by method, ...).
 * The model compares with these, never with a literal of its own.
 */
export const RUNTIME_DEFAULTS = {
  bodyEncoding: "json",
  streamData: "json",
  resetMeaning: "window",
  bucketFamily: "requests",
  timestampFormat: "seconds",
  /** Methods the runtime retries without an idempotency key: `idempotent: true` is left out for these. */
  idempotentMethods: ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"],
  tokenResponseAccept: "application/json",
  tokenResponseErrorPath: ["error"],
  tokenResponseErrorDescriptionPath: ["error_description"],
  /**
   * A call's total timeout when the client sets none (an operation's longer attempt timeout raises it).
   * No spec field sets it; validate reads it to warn about waits no call can sit through.
   */
  totalTimeoutMs: 600_000,
} as const;
