/**
 * The spec document as written in YAML, after it passed the JSON Schema. Mirrors
 * schema/spec-v1.schema.json; the model stage turns it into the normalized IR.
 */
import type { ArrayStyle, HttpMethod } from "@switchboard/runtime/contract";

export type Duration = string;
export type JsonPathText = string;
export type StatusPatternText = number | string;

export interface SpecDocument {
  switchboard: 1;
  provider: {
    name: string;
    title: string;
    description?: string;
    docsUrl?: string;
    userAgent?: string;
    sources?: string[];
  };
  environments: Record<string, { baseUrl: string; default?: boolean; description?: string }>;
  variables?: Record<string, { description?: string; pattern?: string; default?: string }>;
  auth?: { default?: string; modes: Record<string, SpecAuthMode>; sources?: string[] };
  encoding?: { query?: ArrayStyle; form?: ArrayStyle; literalBrackets?: boolean; sources?: string[] };
  rateLimits?: {
    headers?: {
      limit?: string;
      remaining?: string;
      used?: string;
      reset?: string;
      resetFormat?: "epoch-seconds" | "epoch-ms" | "seconds" | "http-date";
      resource?: string;
    };
    limitedWhen?: SpecResponseMatcher[];
    buckets?: Record<string, SpecBucket>;
    sources?: string[];
  };
  retry?: {
    maxAttempts?: number;
    backoff?: { base?: Duration; cap?: Duration; jitter?: "full" | "equal" | "none" };
    statuses?: number[];
    networkErrors?: string[];
    errorCodes?: string[];
    retryAfter?: { headers?: string[]; maxWait?: Duration };
    hints?: { header: string; retryWhen?: string; stopWhen?: string }[];
    idempotency?: { header: string; methods?: HttpMethod[]; maxLength?: number; prefix?: string };
    budget?: { ratio?: number; window?: Duration; minPerSecond?: number };
    notProcessed?: { statuses?: (number | string)[]; errorCodes?: string[] };
    sources?: string[];
  };
  circuitBreaker?: {
    scope?: "provider" | "host" | "bucket";
    threshold?: { consecutive?: number; ratio?: number; window?: Duration; minRequests?: number };
    openFor?: Duration;
    halfOpenProbes?: number;
  };
  errors?: {
    when?: SpecResponseMatcher[];
    fields?: {
      code?: JsonPathText;
      type?: JsonPathText;
      message?: JsonPathText;
      param?: JsonPathText;
      docUrl?: JsonPathText;
      requestId?: JsonPathText;
    };
    requestIdHeader?: string;
    rules?: {
      status?: StatusPatternText | StatusPatternText[];
      code?: string | number;
      type?: string;
      kind: string;
      retryable?: boolean;
    }[];
    codes?: Record<string, { kind?: string; retryable?: boolean; hint?: string; description?: string }>;
    sources?: string[];
  };
  versions?: {
    pinned: string;
    send: { in: "header" | "path" | "query"; name?: string };
    supported?: Record<string, { deprecated?: string; sunset?: string; description?: string }>;
    deprecationHeaders?: string[];
    migrations?: {
      from: string;
      to: string;
      changes: { op: "rename" | "move" | "remove" | "default"; type?: string; path: JsonPathText; to?: JsonPathText; value?: unknown }[];
    }[];
    sources?: string[];
  };
  webhooks?: {
    signature: SpecWebhookSignature;
    eventId?: SpecValueLocation | SpecValueLocation[];
    eventType?: SpecValueLocation | SpecValueLocation[];
    apiVersion?: SpecValueLocation | SpecValueLocation[];
    maxBodySize?: number;
    payload?: { encoding?: "json" | "form" | "auto"; allowEmpty?: boolean };
    response?: { status?: number; timeBudget?: Duration };
    handshakes?: Record<string, SpecWebhookHandshake>;
    events?: Record<string, { description?: string; payload?: Record<string, unknown> }>;
    schemas?: Record<string, Record<string, unknown>>;
    eventsImport?: { from: string; format: "openapi-webhooks"; eventType?: "key" | "x-github-subcategory" };
    sources?: string[];
  };
  operations?: {
    import?: SpecOperationsImport[];
    inline?: Record<string, SpecOperation>;
    schemas?: Record<string, Record<string, unknown>>;
  };
}

export type SpecAuthMode =
  | { type: "apiKey"; in: "header" | "query"; name: string; prefix?: string; description?: string }
  | { type: "basic"; usernameLabel?: string; passwordLabel?: string; passwordOptional?: boolean; description?: string }
  | { type: "bearer"; header?: string; prefix?: string; description?: string }
  | {
      type: "oauth2";
      authorizationUrl?: string;
      tokenUrl: string;
      revocationUrl?: string;
      grants: ("authorizationCode" | "clientCredentials" | "refreshToken")[];
      pkce?: "required" | "supported" | "none";
      tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post" | "none";
      tokenRequestEncoding?: "form" | "json";
      scopes?: Record<string, string>;
      defaultScopes?: string[];
      scopeSeparator?: string;
      authorizationParams?: Record<string, string>;
      tokenResponse?: {
        accept?: string;
        accessTokenPath?: JsonPathText;
        refreshTokenPath?: JsonPathText;
        expiresInPath?: JsonPathText;
        errorPath?: JsonPathText;
        errorDescriptionPath?: JsonPathText;
        invalidGrantCodes?: string[];
        errorWhen?: SpecBodyMatcher;
      };
      defaultTokenLifetime?: Duration;
      refreshSkew?: Duration;
      header?: string;
      prefix?: string;
      description?: string;
    }
  | {
      type: "githubApp";
      installationTokenUrl: string;
      jwtLifetime?: Duration;
      clockSkew?: Duration;
      refreshSkew?: Duration;
      description?: string;
    };

export interface SpecBodyMatcher {
  path: JsonPathText;
  equals?: string | number | boolean | null;
  exists?: boolean;
  matches?: string;
}

export interface SpecResponseMatcher {
  status?: StatusPatternText | StatusPatternText[];
  header?: { name: string; equals?: string; present?: boolean };
  body?: SpecBodyMatcher;
}

export interface SpecBucket {
  rate: number;
  per: Duration;
  burst?: number;
  concurrency?: number;
  resource?: string;
  maxQueueWait?: Duration;
  appliesTo?: { methods?: HttpMethod[]; paths?: string[]; groups?: string[] };
  description?: string;
}

export type SpecValueLocation = ({ header: string } | { body: JsonPathText } | { form: string }) & { map?: Record<string, string> };

export interface SpecWebhookHeaderSet {
  header: string;
  timestampHeader?: string;
  idHeader?: string;
}

/** Where a handshake value is: exactly one of header, query or body. */
export type SpecHandshakeLocation = { header?: string; query?: string; body?: JsonPathText };

export interface SpecWebhookHandshake {
  authenticated: boolean;
  method?: string;
  when: SpecHandshakeLocation & { equals?: string };
  echo: SpecHandshakeLocation;
  respond?: "text" | "json";
  description?: string;
}

export interface SpecWebhookSignature {
  algorithm: "hmac-sha1" | "hmac-sha256" | "hmac-sha512" | "ed25519" | "ecdsa-p256-sha256";
  header: string;
  format: {
    style: "single" | "keyValue" | "versionedList";
    prefix?: string;
    separator?: string;
    timestampKey?: string;
    signatureKey?: string;
    version?: string;
  };
  timestampHeader?: string;
  idHeader?: string;
  alternativeHeaders?: SpecWebhookHeaderSet[];
  content: ("body" | "timestamp" | "id" | "url" | "method" | "sortedFormParams" | { literal: string })[];
  timestampFormat?: "seconds" | "milliseconds" | "rfc3339";
  encoding: "hex" | "base64" | "base64url";
  secretEncoding?: "raw" | "base64" | "whsec-base64" | "pem-public-key" | "base64-spki" | "hex-public-key" | "jwk";
  tolerance?: Duration;
  toleranceDirection?: "past" | "both";
  bodyHash?: { queryParam: string; algorithm?: "sha256"; encoding?: "hex" | "base64" };
  urlDefaultPort?: "exact" | "either";
  algorithmFrom?: { header: string; key: string; values: Record<string, "hmac-sha1" | "hmac-sha256" | "hmac-sha512"> };
}

export interface SpecOperation {
  method: HttpMethod;
  path: string;
  group?: string;
  name?: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  params?: Record<
    string,
    { in: "path" | "query" | "header"; required?: boolean; description?: string; style?: ArrayStyle; schema?: Record<string, unknown> }
  >;
  body?: { encoding: "json" | "form" | "multipart"; required?: boolean; schema?: Record<string, unknown> };
  responses?: Record<string, { description?: string; schema?: Record<string, unknown> }>;
  buckets?: string[];
  idempotent?: boolean;
  pagination?: SpecPagination;
  stream?: SpecStream;
}

/** A streamed answer (server-sent events or NDJSON). */
export interface SpecStream {
  format: "sse" | "ndjson";
  events?: Record<string, { description?: string; schema?: Record<string, unknown> }>;
  eventType?: string;
  data?: "json" | "text";
  done?: { data?: string; event?: string };
  errors?: { event?: string; has?: string; status?: number }[];
  maxLineLength?: number;
}

export interface SpecOperationsImport {
  from: string;
  include?: SpecOperationsFilter;
  exclude?: SpecOperationsFilter;
  groupBy?: "operationId" | "tag" | "path";
  overrides?: Record<string, SpecOperationOverride>;
  pagination?: { whenQueryParam: string; pagination: SpecPagination };
  sources?: string[];
}

export interface SpecOperationsFilter {
  tags?: string[];
  operationIds?: string[];
  paths?: string[];
}

export interface SpecOperationOverride {
  group?: string;
  name?: string;
  pagination?: SpecPagination;
  stream?: SpecStream;
  buckets?: string[];
  idempotent?: boolean;
}

/** Where a value goes in a request: a query parameter name, or exactly one of these. */
export type SpecRequestValueLocation = string | { query?: string; header?: string; body?: JsonPathText; form?: string };

export type SpecCursorSource = { body?: JsonPathText; lastItem?: JsonPathText; firstItem?: JsonPathText };

export interface SpecPagination {
  style: "cursor" | "linkHeader" | "nextUrl" | "page" | "offset";
  items?: JsonPathText;
  param?: SpecRequestValueLocation;
  cursor?: SpecCursorSource;
  hasMore?: JsonPathText;
  backward?: { param: SpecRequestValueLocation; cursor: SpecCursorSource; hasMore?: JsonPathText };
  next?: JsonPathText;
  start?: number;
  sizeParam?: string;
}
