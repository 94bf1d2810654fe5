/**
 * The provider definition: everything a spec declares about a provider's behaviour, with every default
 * applied and every duration in milliseconds. Generated code builds one of these as a literal and hands
 * it to the runtime; the generator's model (IR) uses the same types, so the two cannot drift apart.
 */

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** A status code (429) or a class of codes ("5xx"). */
export type StatusPattern = number | `${1 | 2 | 3 | 4 | 5}xx`;

export interface EnvironmentDefinition {
  readonly baseUrl: string;
}

export interface ApiKeyAuthDefinition {
  readonly type: "apiKey";
  readonly in: "header" | "query";
  readonly name: string;
  readonly prefix: string;
}

export interface BasicAuthDefinition {
  readonly type: "basic";
  readonly passwordOptional: boolean;
}

export interface BearerAuthDefinition {
  readonly type: "bearer";
  readonly header: string;
  readonly prefix: string;
}

export interface BodyMatcher {
  /** Path segments into the JSON body: property names and array indexes. */
  readonly path: readonly (string | number)[];
  readonly equals?: string | number | boolean | null;
  readonly exists?: boolean;
  readonly matches?: string;
}

export interface HeaderMatcher {
  /** Lower-case header name. */
  readonly name: string;
  readonly equals?: string;
  readonly present?: boolean;
}

/** All given parts must hold. */
export interface ResponseMatcher {
  readonly status?: readonly StatusPattern[];
  readonly header?: HeaderMatcher;
  readonly body?: BodyMatcher;
}

export interface OAuth2AuthDefinition {
  readonly type: "oauth2";
  readonly authorizationUrl?: string;
  readonly tokenUrl: string;
  readonly revocationUrl?: string;
  /** The token a revocation sends; absent: the refresh token when there is one, else the access token. */
  readonly revocationToken?: "accessToken";
  /** false: the provider keeps the refresh token, so a failed refresh may be repeated; absent: it may rotate it. */
  readonly rotatingRefreshTokens?: false;
  readonly grants: readonly ("authorizationCode" | "clientCredentials" | "refreshToken")[];
  readonly pkce: "required" | "supported" | "none";
  readonly tokenEndpointAuthMethod: "client_secret_basic" | "client_secret_post" | "none";
  /** How token and revocation requests carry their parameters; absent: form-encoded (RFC 6749). */
  readonly tokenRequestEncoding?: "json";
  readonly scopes: readonly string[];
  /** Scopes asked for when the caller names none; absent: none sent. */
  readonly defaultScopes?: readonly string[];
  readonly scopeSeparator: string;
  readonly authorizationParams: Readonly<Record<string, string>>;
  /** Extra parameters of token requests, per grant (Shopify: expiring=1 on the code exchange); absent: none. */
  readonly tokenRequestParams?: {
    readonly authorizationCode?: Readonly<Record<string, string>>;
    readonly refreshToken?: Readonly<Record<string, string>>;
    readonly clientCredentials?: Readonly<Record<string, string>>;
  };
  /** Headers of every token and revocation request, names in lower case (a provider's version header); absent: none. */
  readonly tokenRequestHeaders?: Readonly<Record<string, string>>;
  readonly tokenResponse: {
    readonly accept?: string;
    readonly accessTokenPath: readonly (string | number)[];
    readonly refreshTokenPath: readonly (string | number)[];
    readonly expiresInPath: readonly (string | number)[];
    /** Where the OAuth error code is; absent: $.error. */
    readonly errorPath?: readonly (string | number)[];
    /** Where the error's description is; absent: $.error_description. */
    readonly errorDescriptionPath?: readonly (string | number)[];
    /** Error codes (besides invalid_grant) that mean the grant is dead: reported as invalid_grant. */
    readonly invalidGrantCodes?: readonly string[];
    readonly errorWhen?: BodyMatcher;
    /** Values kept with the tokens (StoredTokens.fields): name -> path in the answer; absent: none. */
    readonly fields?: Readonly<Record<string, readonly (string | number)[]>>;
  };
  /** Lifetime assumed when the token answer has no expires_in; undefined: such tokens never expire. */
  readonly defaultTokenLifetimeMs?: number;
  readonly refreshSkewMs: number;
  readonly header: string;
  readonly prefix: string;
}

export interface GithubAppAuthDefinition {
  readonly type: "githubApp";
  readonly installationTokenUrl: string;
  readonly jwtLifetimeMs: number;
  readonly clockSkewMs: number;
  readonly refreshSkewMs: number;
}

export type AuthModeDefinition =
  ApiKeyAuthDefinition | BasicAuthDefinition | BearerAuthDefinition | OAuth2AuthDefinition | GithubAppAuthDefinition;

/**
 * How a reset is written: epoch seconds or ms, seconds from now (fractional allowed), an HTTP date, an
 * RFC 3339 timestamp, or a duration from now in Go's notation (OpenAI: "6m0s", "1s", "20ms").
 */
export type RateLimitResetFormat = "epoch-seconds" | "epoch-ms" | "seconds" | "http-date" | "rfc3339" | "duration";

/**
 * What a reset means: "window" (a fixed window: the whole limit is available again at the reset) or
 * "refill" (a continuously refilling bucket that is full again at the reset).
 */
export type RateLimitResetMeaning = "window" | "refill";

/**
 * What one request costs in a family's unit: a number from the request body, else `default`; where the
 * answer says what it actually cost (`answer`, `answerHeader`), that replaces the estimate once it is in.
 */
export interface RateLimitCostDefinition {
  /** Path segments into the JSON request body (OpenAI's max_tokens as an estimate of tokens). */
  readonly request?: readonly (string | number)[];
  /** Path segments into the JSON answer body holding the actual cost (Shopify's extensions.cost.actualQueryCost). */
  readonly answer?: readonly (string | number)[];
  /** A response header holding the actual cost (lower case). */
  readonly answerHeader?: string;
  /** @default 1 */
  readonly default: number;
}

export interface RateLimitHeadersDefinition {
  readonly limit?: string;
  readonly remaining?: string;
  readonly used?: string;
  readonly reset?: string;
  readonly resetFormat: RateLimitResetFormat;
  /** @default "window" */
  readonly resetMeaning?: RateLimitResetMeaning;
  readonly resource?: string;
  /** Undefined: every request costs 1 (a count of requests). */
  readonly cost?: RateLimitCostDefinition;
  /** The count read from the JSON answer body, when the headers give none (a refilling bucket). */
  readonly body?: RateLimitBodyStateDefinition;
}

/**
 * Where the JSON answer body states a refilling bucket (Shopify GraphQL's
 * extensions.cost.throttleStatus): its size, the units left and the units it refills per second.
 */
export interface RateLimitBodyStateDefinition {
  readonly limit: readonly (string | number)[];
  readonly remaining: readonly (string | number)[];
  readonly refillPerSecond: readonly (string | number)[];
}

/** A further family of rate-limit headers (OpenAI's tokens beside its requests). */
export interface RateLimitFamilyDefinition extends RateLimitHeadersDefinition {
  readonly name: string;
}

export interface RateLimitBucketDefinition {
  readonly rate: number;
  readonly perMs: number;
  /** Token-bucket capacity; undefined: a sliding window of `rate` per `perMs`. */
  readonly burst?: number;
  /** The value of the rate-limit resource header this bucket mirrors. */
  readonly resource?: string;
  /** The header family whose counts re-synchronise this bucket and whose cost a request takes. @default "requests" */
  readonly family?: string;
  /** One bucket per operation (Stripe's per-endpoint limits) instead of one for all the operations it applies to. */
  readonly perOperation?: boolean;
  readonly concurrency?: number;
  readonly maxQueueWaitMs: number;
  /** Undefined: the bucket applies to every request. */
  readonly appliesTo?: {
    readonly methods?: readonly HttpMethod[];
    readonly paths?: readonly string[];
    readonly groups?: readonly string[];
  };
}

export interface RateLimitsDefinition {
  /** The "requests" family of headers. */
  readonly headers?: RateLimitHeadersDefinition;
  /** Further header families, by name. */
  readonly families?: readonly RateLimitFamilyDefinition[];
  /** A rate-limited answer without Retry-After or a reset waits at least this long (GitHub's secondary limits: 60 s). */
  readonly minWaitMs?: number;
  /** Responses that mean "rate limited" besides a plain 429. */
  readonly limitedWhen: readonly ResponseMatcher[];
  readonly buckets: Readonly<Record<string, RateLimitBucketDefinition>>;
}

export interface RetryDefinition {
  readonly maxAttempts: number;
  readonly backoff: {
    readonly baseMs: number;
    readonly capMs: number;
    readonly jitter: "full" | "equal" | "none";
    /** base x n^2 instead of base x 2^(n-1); absent: exponential. */
    readonly growth?: "quadratic";
  };
  readonly statuses: readonly number[];
  readonly networkErrors: readonly string[];
  readonly errorCodes: readonly string[];
  readonly retryAfter: { readonly headers: readonly string[]; readonly maxWaitMs: number };
  readonly hints: readonly { readonly header: string; readonly retryWhen: string; readonly stopWhen: string }[];
  readonly idempotency?: {
    readonly header: string;
    readonly methods: readonly HttpMethod[];
    /** Path patterns of the operations that take a key; absent: every operation of `methods`. */
    readonly paths?: readonly string[];
    readonly maxLength?: number;
    readonly prefix: string;
  };
  readonly budget: { readonly ratio: number; readonly windowMs: number; readonly minPerSecond: number };
  /**
   * Answers that mean the provider did not process the request (an overload answer such as 529), so
   * they are retried on any method after their wait. A 429 and a 503 with a Retry-After always are.
   */
  readonly notProcessed?: { readonly statuses: readonly StatusPattern[]; readonly errorCodes: readonly string[] };
}

export interface CircuitBreakerDefinition {
  readonly scope: "provider" | "host" | "bucket";
  readonly threshold:
    | { readonly type: "consecutive"; readonly failures: number }
    | { readonly type: "ratio"; readonly ratio: number; readonly windowMs: number; readonly minRequests: number };
  readonly openForMs: number;
  readonly halfOpenProbes: number;
}

export interface ErrorRuleDefinition {
  readonly status?: readonly StatusPattern[];
  readonly code?: string | number;
  readonly type?: string;
  readonly kind: string;
  readonly retryable?: boolean;
}

/** A recovery the provider documents for an error code (errors.codes.<code>.recovery). */
export interface RecoveryDefinition {
  /** retrySameKey: repeat the same request with the same idempotency key; scheduleLater: run the work again later. */
  readonly action: "retrySameKey" | "scheduleLater";
  /** Milliseconds to wait before the request is made again. */
  readonly afterMs: number;
}

/** Gives a code to an answer that has none (errors.codes.<code>.match); every pattern present must match. */
export interface ErrorCodeMatch {
  /** Regular expression (case-insensitive) over the message. */
  readonly message?: string;
  /** Regular expression (case-insensitive) over the parameter the error names. */
  readonly param?: string;
  readonly status?: readonly StatusPattern[];
}

export interface ErrorCodeDefinition {
  readonly kind?: string;
  readonly retryable?: boolean;
  readonly hint?: string;
  readonly recovery?: RecoveryDefinition;
  readonly match?: ErrorCodeMatch;
}

/**
 * Where an error field is in the body: one path (`["error", "code"]`), or a list of paths tried in order
 * (`[["error"], ["error", "title"]]`), the first that yields a usable value winning.
 */
export type ErrorFieldPath = JsonPathSegments | readonly JsonPathSegments[];

export interface ErrorsDefinition {
  readonly when: readonly ResponseMatcher[];
  readonly fields: {
    readonly code?: ErrorFieldPath;
    readonly type?: ErrorFieldPath;
    readonly message?: ErrorFieldPath;
    readonly param?: ErrorFieldPath;
    readonly docUrl?: ErrorFieldPath;
    /** The request id in the error body (HubSpot's correlationId); the requestIdHeader wins when both are present. */
    readonly requestId?: ErrorFieldPath;
  };
  readonly requestIdHeader?: string;
  readonly rules: readonly ErrorRuleDefinition[];
  readonly codes: Readonly<Record<string, ErrorCodeDefinition>>;
}

export interface VersionDefinition {
  readonly deprecated?: string;
  readonly sunset?: string;
}

/**
 * One change of a payload's shape between two versions: `rename`/`move` the field at `path` to `to`,
 * `copy` it to `to` (keeping it), `remove` it, `default` it to `value` when absent, or `mapValue` its
 * value through `values` (an enum value renamed: `{ old: new }`).
 */
export interface VersionMigrationChange {
  readonly op: "rename" | "move" | "copy" | "remove" | "default" | "mapValue";
  readonly type?: string;
  readonly path: readonly (string | number)[];
  readonly to?: readonly (string | number)[];
  readonly value?: unknown;
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * One change of an operation's request at a migration step's `to` version: a query parameter, header or
 * body field `rename`d (to `to`), `remove`d or `add`ed there, or one of its values renamed (`mapValue`,
 * `{ old: new }`). Generated types follow the pinned version; a call sent at another version is rewritten
 * along the chain of steps (backwards, with each change inverted, to an older version).
 */
export interface VersionRequestChange {
  /** Ids of the operations it applies to. */
  readonly operations: readonly string[];
  readonly op: "rename" | "remove" | "add" | "mapValue";
  readonly in: "query" | "header" | "body";
  /** [name] for a query parameter or header; path segments into the body. */
  readonly path: readonly (string | number)[];
  readonly to?: readonly (string | number)[];
  readonly values?: Readonly<Record<string, string>>;
}

export interface VersionsDefinition {
  readonly pinned: string;
  readonly send: { readonly in: "header" | "query"; readonly name: string } | { readonly in: "path" };
  readonly supported: Readonly<Record<string, VersionDefinition>>;
  readonly deprecationHeaders: readonly string[];
  readonly migrations: readonly {
    readonly from: string;
    readonly to: string;
    readonly changes: readonly VersionMigrationChange[];
    /** How requests differ at `to`; absent: they do not. */
    readonly requests?: readonly VersionRequestChange[];
  }[];
}

/**
 * What a webhook verifier checks an event's API version against (the generated `<provider>WebhookVersions`):
 * the pinned and supported versions, and which migrates to which, without the changes a migration makes
 * (an application that only verifies webhooks does not ship them).
 */
export interface WebhookVersionsDefinition {
  readonly pinned: string;
  readonly supported: Readonly<Record<string, VersionDefinition>>;
  readonly migrations: readonly { readonly from: string; readonly to: string }[];
}

/**
 * One part of the signed content. `body`: the raw body bytes; `timestamp`, `id`: the header values as
 * received; `url`: the full URL the delivery was posted to; `method`: the request method (POST);
 * `sortedFormParams`: every form parameter
 * sorted by name (code-unit order) and appended as name + value (a repeated name once per distinct value,
 * values sorted); `literal`: fixed text.
 */
export type WebhookContentPart =
  | "body"
  | "timestamp"
  | "id"
  | "url"
  | "method"
  | "sortedFormParams"
  | { readonly literal: string }
  | { readonly body: readonly (string | number)[] };

/** Where the signature, its timestamp and its message id arrive. Lower-case header names. */
export interface WebhookHeaderSet {
  readonly header: string;
  readonly timestampHeader?: string;
  readonly idHeader?: string;
}

export interface WebhookSignatureDefinition extends WebhookHeaderSet {
  /**
   * `jwt-hs256`: the header carries a JSON Web Token signed HS256 with the secret (see `jwt`).
   * `shared-secret`: no signature; the secret itself is in the body or a header (see `sharedSecret`), and header,
   * format, content and encoding are unused (empty).
   */
  readonly algorithm: "hmac-sha1" | "hmac-sha256" | "hmac-sha512" | "ed25519" | "ecdsa-p256-sha256" | "jwt-hs256" | "shared-secret";
  /**
   * Other header sets the same scheme arrives under (webhook-* next to svix-*). Each value (signature,
   * timestamp, id) is read from the first set whose header for it the delivery carries, value by value, as
   * svix's library does.
   */
  readonly alternativeHeaders: readonly WebhookHeaderSet[];
  readonly format:
    | { readonly style: "single"; readonly prefix: string }
    | { readonly style: "keyValue"; readonly separator: string; readonly timestampKey?: string; readonly signatureKey: string }
    | { readonly style: "versionedList"; readonly version: string };
  readonly content: readonly WebhookContentPart[];
  readonly encoding: "hex" | "base64" | "base64url";
  readonly secretEncoding: "raw" | "base64" | "whsec-base64" | "pem-public-key" | "base64-spki" | "hex-public-key" | "jwk";
  readonly toleranceMs?: number;
  readonly toleranceDirection: "past" | "both";
  /** How the timestamp is written; absent: unix seconds. */
  readonly timestampFormat?: "milliseconds" | "rfc3339";
  /**
   * Twilio's JSON variant: when the delivery URL carries this query parameter, the body is not read as form
   * parameters (sortedFormParams adds nothing) and its digest must equal the parameter's value.
   */
  readonly bodyHash?: { readonly queryParam: string; readonly algorithm: "sha256"; readonly encoding: "hex" | "base64" };
  /** `either`: a URL that was signed with or without its default port (:443, :80) verifies both ways. */
  readonly urlDefaultPort: "exact" | "either";
  /**
   * Twilio's SharedKey variant: a header of comma-separated key=value items may name the HMAC algorithm
   * (`algorithm=HMAC_SHA256`); `values` maps what it may say. Without the header, `algorithm` applies.
   */
  readonly algorithmFrom?: {
    readonly header: string;
    readonly key: string;
    readonly values: Readonly<Record<string, "hmac-sha1" | "hmac-sha256" | "hmac-sha512">>;
  };
  /**
   * Where the timestamp is in the JSON body instead of a header (Linear's webhookTimestamp); a number is read
   * as its decimal text.
   */
  readonly timestampAt?: readonly (string | number)[];
  /**
   * Where the signature is in the JSON body (Mailgun's signature.signature); `header` is then empty. The body
   * is parsed before the signature is checked.
   */
  readonly signatureAt?: readonly (string | number)[];
  /** jwt-hs256: what the token's claims must say; see WebhookJwtDefinition. */
  readonly jwt?: WebhookJwtDefinition;
  /** shared-secret: where the secret is, in the body or a header; see WebhookSharedSecretDefinition. */
  readonly sharedSecret?: WebhookSharedSecretDefinition;
}

/**
 * A signature carried as a JSON Web Token (Vonage's signed webhooks): the header's value, after the format's
 * prefix (`Bearer `), is a compact JWS whose protected header names HS256 and whose HMAC-SHA256 with the
 * secret covers `header.payload`. The body is covered by a claim that must equal its digest; the replay
 * timestamp is a claim (unix seconds); `exp` and `nbf`, when present, are checked too.
 */
export interface WebhookJwtDefinition {
  /** The claim holding the body's digest, and how that digest is written. */
  readonly bodyHash?: { readonly claim: string; readonly algorithm: "sha256"; readonly encoding: "hex" | "base64" | "base64url" };
  /** The claim holding the time the token was issued (unix seconds), judged against the tolerance. */
  readonly timestampClaim?: string;
  /** When set, the `iss` claim must equal it (and `webhook sign` writes it). */
  readonly issuer?: string;
}

/**
 * No signature, only a shared secret the provider repeats in each delivery: inside the body (Microsoft
 * Graph's clientState: every value at `at`, a JSON path whose `*` segments stand for every item of an
 * array) or as a header's whole value (GitLab's X-Gitlab-Token; `header`, lower case). Every value must
 * equal the secret, compared in constant time, and there must be at least one. It proves the sender knows
 * the secret; it protects no field of the body against a party that has seen one delivery.
 */
export type WebhookSharedSecretDefinition = { readonly at: readonly (string | number)[] } | { readonly header: string };

/**
 * A value read from a header, a path into the JSON body, or a form field of a form-encoded body. A number
 * is read as its decimal text. With `map`, only the values it lists are taken, as what it maps them to
 * (Twitch's message type `revocation`); any other value passes to the next location.
 */
export type ValueLocation = ({ readonly header: string } | { readonly body: readonly (string | number)[] } | { readonly form: string }) & {
  readonly map?: Readonly<Record<string, string>>;
};

export interface WebhooksDefinition {
  readonly signature: WebhookSignatureDefinition;
  /** Where the event id is: the first location that holds a string wins. */
  readonly eventId?: readonly ValueLocation[];
  /** Where the key of the object the event is about is; the verified event carries it as `orderKey`. */
  readonly orderKey?: readonly ValueLocation[];
  /** Where the event type is: the first location that holds a string wins. */
  readonly eventType?: readonly ValueLocation[];
  /** Where the delivery names the API version of its payload. */
  readonly apiVersion?: readonly ValueLocation[];
  readonly maxBodySize: number;
  /**
   * How the body is read once verified; `auto` reads a form-encoded Content-Type as form, anything else as
   * JSON; `text` makes the payload the body decoded as UTF-8 (a string: XML or any other text).
   */
  readonly payload: { readonly encoding: "json" | "form" | "auto" | "text"; readonly allowEmpty: boolean };
  /**
   * How a verified delivery is answered: `status` once the handler ran (createWebhookHandler), `queuedStatus`
   * (default: `status`) once it is stored for later (createInboxWebhookHandler). The verified event carries
   * them as `acknowledge` when either is not 200.
   */
  readonly response: { readonly status: number; readonly queuedStatus?: number; readonly timeBudgetMs?: number };
  /** Challenges the endpoint must answer instead of handling an event; see WebhookHandshakeDefinition. */
  readonly handshakes?: readonly WebhookHandshakeDefinition[];
}

/** Where a handshake's values are: a header, a query parameter of the delivery URL, or a JSON path in the body. */
export type HandshakeValueLocation =
  { readonly header: string } | { readonly query: string } | { readonly body: readonly (string | number)[] };

/**
 * A field of a handshake's JSON answer: a literal, the echoed value, or (a signed challenge of an HMAC
 * scheme only) the HMAC of the echoed value under the webhook secret, as Zoom's `encryptedToken`.
 */
export type HandshakeAnswerField =
  | string
  | number
  | boolean
  | null
  | { readonly from: "echo"; readonly hmac?: "sha1" | "sha256" | "sha512"; readonly encoding?: "hex" | "base64" };

/**
 * A verification challenge (Slack's url_verification, Twitch's webhook_callback_verification, Dropbox's
 * GET ?challenge=, Zoom's endpoint.url_validation, Discord's PING). `authenticated`: the provider signs the
 * challenge, so it is answered only after the signature verifies; otherwise it is answered before
 * verification, and only with the echoed value. The answer is the value at `echo` as text/plain (`text`),
 * JSON {"challenge": value} (`json`), a JSON object of the fields `json` lists, or an empty body with the
 * value as the response header `header` names (lower case; Asana's X-Hook-Secret).
 */
export interface WebhookHandshakeDefinition {
  readonly name: string;
  readonly authenticated: boolean;
  /** The request method the challenge comes with (GET for Dropbox); absent: any. */
  readonly method?: string;
  /**
   * The delivery is this handshake when the value at `at` is present and, with `equals`, equal to it (a
   * number in the body compares as its decimal text).
   */
  readonly when: { readonly at: HandshakeValueLocation; readonly equals?: string | number };
  /** The challenge value; absent only when the answer is a JSON object that does not use it. */
  readonly echo?: HandshakeValueLocation;
  readonly respond: "text" | "json" | { readonly json: Readonly<Record<string, HandshakeAnswerField>> } | { readonly header: string };
}

/** A value the caller supplies, filled into {name} placeholders of URLs. */
export interface VariableDefinition {
  readonly pattern?: string;
  readonly default?: string;
}

export interface ProviderDefinition {
  readonly name: string;
  readonly title: string;
  readonly userAgent?: string;
  readonly environments: Readonly<Record<string, EnvironmentDefinition>>;
  readonly defaultEnvironment: string;
  readonly variables: Readonly<Record<string, VariableDefinition>>;
  readonly auth: {
    readonly defaultMode?: string;
    readonly modes: Readonly<Record<string, AuthModeDefinition>>;
  };
  readonly encoding: EncodingDefinition;
  readonly rateLimits: RateLimitsDefinition;
  readonly retry: RetryDefinition;
  readonly circuitBreaker: CircuitBreakerDefinition;
  readonly errors: ErrorsDefinition;
  readonly versions?: VersionsDefinition;
  readonly webhooks?: WebhooksDefinition;
}

/** How arrays are written in query strings and form bodies (see form.ts). */
export type ArrayStyle = "indices" | "brackets" | "repeat" | "comma";

/** How request parameters are written on the wire. */
export interface EncodingDefinition {
  /** Arrays in query strings. */
  readonly query: ArrayStyle;
  /** Arrays in form and multipart bodies. */
  readonly form: ArrayStyle;
  /** [ and ] stay literal in keys and values (stripe-node); false: percent-encoded (qs). */
  readonly literalBrackets: boolean;
}

/** A JSON path as its property names and array indexes (`$.errors[0].code` is `["errors", 0, "code"]`). */
export type JsonPathSegments = readonly (string | number)[];

/**
 * Where a value goes in a request: a query parameter, a header, a JSON path in the JSON body (created
 * as needed) or a field of a form body. A plain string is a query parameter.
 */
export type RequestValueLocation =
  string | { readonly query: string } | { readonly header: string } | { readonly body: JsonPathSegments } | { readonly form: string };

/** Where the next cursor is read: the body, the last item of the page or its first item. */
export type CursorSource =
  { readonly body: JsonPathSegments } | { readonly lastItem: JsonPathSegments } | { readonly firstItem: JsonPathSegments };

/**
 * How a list operation pages, as its provider does it. `items` is where the page's items are in the
 * body ([] when the body is the array).
 */
export type PaginationDefinition = { readonly items: JsonPathSegments } & (
  | {
      /** A cursor parameter: Stripe's starting_after (from the last item's id), Slack's cursor (from the body). */
      readonly style: "cursor";
      readonly param: RequestValueLocation;
      readonly cursor: CursorSource;
      /** A flag that says whether there is a next page (Stripe's has_more). */
      readonly hasMore?: JsonPathSegments;
      /**
       * The other direction (Stripe's ending_before, from the first item): taken when the first call
       * carries its parameter. Each direction's pages send only that direction's cursor.
       */
      readonly backward?: { readonly param: RequestValueLocation; readonly cursor: CursorSource; readonly hasMore?: JsonPathSegments };
    }
  | {
      /** The Link header's rel="next" URL (GitHub, Shopify). */
      readonly style: "linkHeader";
    }
  | {
      /** The next page's URL in the body (Twilio's next_page_uri), absolute or relative. */
      readonly style: "nextUrl";
      readonly next: JsonPathSegments;
    }
  | {
      /** A page number parameter, from `start`; stops at an empty or short page. */
      readonly style: "page";
      readonly param: RequestValueLocation;
      readonly start: number;
      readonly sizeParam?: string;
    }
  | {
      /** An offset parameter that advances by the number of items received. */
      readonly style: "offset";
      readonly param: RequestValueLocation;
      readonly sizeParam?: string;
    }
);

/** One operation as the runtime needs it to make the request. */
export interface OperationDefinition {
  readonly id: string;
  readonly method: HttpMethod;
  /** Path template with {name} placeholders, as written in the spec. */
  readonly path: string;
  readonly group: string;
  /** raw: the body is sent as given (a string or bytes) with `contentType`. @default json */
  readonly bodyEncoding?: "json" | "form" | "multipart" | "raw";
  /** raw bodies, and json bodies of another JSON media type (application/vnd.api+json): their media type. */
  readonly contentType?: string;
  /**
   * The operation's own server (GitHub uploads release assets to https://uploads.github.com): it replaces
   * the environment's base URL, unless the client was given a baseUrl of its own.
   */
  readonly baseUrl?: string;
  /** Query parameters whose arrays differ from the provider's style, by wire name. */
  readonly queryStyles?: Readonly<Record<string, ArrayStyle>>;
  /** Rate-limit buckets the operation names itself (besides those whose `appliesTo` matches it). @default [] */
  readonly buckets?: readonly string[];
  /**
   * Whether a retry is safe although the method is not idempotent (POST, PATCH); GET, HEAD, PUT, DELETE
   * and OPTIONS always are. @default false
   */
  readonly idempotent?: boolean;
  /**
   * This operation's attempt timeout (long generations): overrides the client's, not a per-call timeout.
   */
  readonly timeoutMs?: number;
  readonly pagination?: PaginationDefinition;
  /**
   * The body array (a top-level property) that one request may carry at most `max` items of: the
   * generated <name>Batched method splits a larger call into several requests (see sendBatched).
   */
  readonly batch?: { readonly items: string; readonly max: number };
  /** The answer is a stream of events (server-sent events or NDJSON), not one body. */
  readonly stream?: StreamDefinition;
  /**
   * The auth modes the operation is sent with, by preference (the first the client holds credentials
   * for); [] sends no credentials. Absent: the client's default.
   */
  readonly auth?: readonly string[];
}

/**
 * A streamed answer: how its events are framed and named, which one ends it, and which carry an error.
 * Each event's data is JSON unless `data` says text.
 */
export interface StreamDefinition {
  readonly format: "sse" | "ndjson";
  /**
   * The event names the stream yields; any other is skipped. Without it, every event. An SSE event's name
   * is its `event:` field ("message" when it has none); an NDJSON line's is the value at `eventType`, or
   * "message".
   */
  readonly events?: readonly string[];
  /** Where the data names its event (`$.type`), read in place of the SSE `event:` field. */
  readonly eventType?: readonly (string | number)[];
  /** @default json */
  readonly data?: "json" | "text";
  /** What ends the stream, not yielded: an event of this name, or data exactly this text (OpenAI's "[DONE]"). */
  readonly done?: { readonly event?: string; readonly data?: string };
  /**
   * Events that carry a provider error: by name, or by a JSON path present in the data. The data is
   * normalized by the spec's error rules as an answer of `status` (@default the stream's HTTP status).
   */
  readonly errors?: readonly { readonly event?: string; readonly has?: readonly (string | number)[]; readonly status?: number }[];
  /** Longest line, and longest data of one event, in characters. @default 4 MiB */
  readonly maxLineLength?: number;
}
