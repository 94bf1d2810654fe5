// Generated from schema/spec-v1.schema.json by `node scripts/spec-types.js`. Do not edit: edit the schema and run it.
/** A spec document as written in YAML, once it passed the JSON Schema; the model stage turns it into the IR. */
export type SpecDocument = {
  auth?: SpecAuth;
  circuitBreaker?: SpecCircuitBreaker;
  encoding?: SpecEncoding;
  /** Named deployments of the API (live, test, sandbox, eu, ...) and their base URLs. Exactly one may be marked default; with a single environment it is the default. */
  environments: {
    [key: string]: SpecEnvironment;
  };
  errors?: SpecErrors;
  operations?: SpecOperations;
  provider: SpecProvider;
  rateLimits?: SpecRateLimits;
  retry?: SpecRetry;
  /** Version of the spec language this document is written in. Only 1 exists. */
  switchboard: 1;
  variables?: SpecVariables;
  versions?: SpecVersions;
  webhooks?: SpecWebhooks;
};

/**
 * How arrays are written: indices (expand[0]=a&expand[1]=b, as stripe-node sends), brackets (expand[]=a), repeat (MediaUrl=a&MediaUrl=b, as twilio-node sends) or comma (labels=a,b). Objects always nest with brackets (metadata[order]=1); arrays of objects always use indices.
 *
 * From `schema/spec-v1.schema.json#/$defs/arrayStyle`.
 */
export type SpecArrayStyle = "indices" | "brackets" | "repeat" | "comma";

/**
 * How requests authenticate. A provider may offer several modes; the caller picks one when creating a client.
 *
 * From `schema/spec-v1.schema.json#/$defs/auth`.
 */
export type SpecAuth = {
  /** Mode used when the caller names none. Defaults to the first mode declared. */
  default?: SpecName;
  /** Authentication modes by name. */
  modes: {
    [key: string]: SpecAuthMode;
  };
  sources?: SpecSources;
};

/**
 * A static key sent in a header or query parameter.
 *
 * From `schema/spec-v1.schema.json#/$defs/authApiKey`.
 */
export type SpecAuthApiKey = {
  description?: SpecText;
  /** Where the key goes. */
  in: "header" | "query";
  /** Header or query parameter name, e.g. X-Shopify-Access-Token. */
  name: string;
  /** Text put before the key, e.g. 'Token '. */
  prefix?: string;
  /** apiKey. */
  type: "apiKey";
};

/**
 * HTTP Basic authentication (RFC 7617) with a username and password, e.g. Twilio's AccountSid:AuthToken or Stripe's key as username with an empty password.
 *
 * From `schema/spec-v1.schema.json#/$defs/authBasic`.
 */
export type SpecAuthBasic = {
  description?: SpecText;
  /** What the password is called in this provider's docs, e.g. Auth Token. */
  passwordLabel?: string;
  /** The password may be empty (Stripe: secret key as username). */
  passwordOptional?: boolean;
  /** basic. */
  type: "basic";
  /** What the username is called in this provider's docs, e.g. Account SID. */
  usernameLabel?: string;
};

/**
 * A bearer token in a header.
 *
 * From `schema/spec-v1.schema.json#/$defs/authBearer`.
 */
export type SpecAuthBearer = {
  description?: SpecText;
  /** Header that carries the token. @default Authorization */
  header?: SpecHeaderName;
  /** Text put before the token. @default 'Bearer ' */
  prefix?: string;
  /** bearer. */
  type: "bearer";
};

/**
 * GitHub App: an RS256 app JWT exchanged for installation access tokens.
 *
 * From `schema/spec-v1.schema.json#/$defs/authGithubApp`.
 */
export type SpecAuthGithubApp = {
  /** How far back the JWT's iat is set. @default 60s */
  clockSkew?: SpecDuration;
  description?: SpecText;
  /** Endpoint that exchanges the app JWT for an installation token; {installationId} is filled at run time. */
  installationTokenUrl: SpecUrl;
  /** Lifetime of the app JWT (GitHub allows at most 10 minutes). @default 9m */
  jwtLifetime?: SpecDuration;
  /** Fetch a new installation token this long before the old one expires. @default 5m */
  refreshSkew?: SpecDuration;
  /** githubApp. */
  type: "githubApp";
};

/**
 * One authentication mode, told apart by type.
 *
 * From `schema/spec-v1.schema.json#/$defs/authMode`.
 */
export type SpecAuthMode = {
  /** Kind of credential: apiKey, basic, bearer, oauth2 or githubApp. */
  type: "apiKey" | "basic" | "bearer" | "oauth2" | "githubApp";
} & (SpecAuthApiKey | SpecAuthBasic | SpecAuthBearer | SpecAuthOAuth2 | SpecAuthGithubApp);

/**
 * OAuth 2.0 (RFC 6749) with the provider's quirks described as data.
 *
 * From `schema/spec-v1.schema.json#/$defs/authOAuth2`.
 */
export type SpecAuthOAuth2 = {
  /** Extra parameters added to the authorization URL. */
  authorizationParams?: {
    [key: string]: string;
  };
  /** Authorization endpoint (needed for the authorizationCode grant). */
  authorizationUrl?: SpecUrl;
  /** Scopes asked for (authorization URL, client credentials) when the caller names none; each must be one of scopes. @default none sent */
  defaultScopes?: string[];
  /** Lifetime assumed when the answer has no expires_in. Omit for tokens that never expire. */
  defaultTokenLifetime?: SpecDuration;
  description?: SpecText;
  /** Grants the provider supports. */
  grants: ("authorizationCode" | "clientCredentials" | "refreshToken")[];
  /** Header that carries the access token. @default Authorization */
  header?: SpecHeaderName;
  /** PKCE (RFC 7636, S256): required, supported (sent) or none. @default supported */
  pkce?: "required" | "supported" | "none";
  /** Text put before the access token. @default 'Bearer ' */
  prefix?: string;
  /** Refresh this long before the token expires. @default 60s */
  refreshSkew?: SpecDuration;
  /** Which token a sign-out (OAuth2TokenManager.revoke()) sends to revocationUrl: refreshToken (the refresh token when there is one, else the access token; revoking the refresh token ends the grant, RFC 7009 2.1) or accessToken (the access token always, for revocation endpoints that take only it: Notion, Zoom). Needs revocationUrl. @default refreshToken */
  revocationToken?: "refreshToken" | "accessToken";
  /** Token revocation endpoint (RFC 7009). */
  revocationUrl?: SpecUrl;
  /** Whether the provider may answer a refresh with a new refresh token and retire the old one. true: a refresh that may have been processed (a 5xx, a reset or timeout after sending) is not repeated, since repeating it could send a retired token. false: the provider keeps the refresh token, so a failed refresh is repeated like client credentials. OAuth2TokenManager's rotatingRefreshTokens option overrides it. Needs the refreshToken grant. @default true */
  rotatingRefreshTokens?: boolean;
  /** Separator between scopes. @default ' ' */
  scopeSeparator?: string;
  /** Known scopes and what they grant. */
  scopes?: {
    [key: string]: string;
  };
  /** How the client authenticates at the token endpoint. @default client_secret_basic */
  tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post" | "none";
  /** How token and revocation requests carry their parameters: form (application/x-www-form-urlencoded, RFC 6749) or json (a JSON object, as some providers require). Client authentication follows tokenEndpointAuthMethod either way: client_secret_post puts client_id and client_secret among the parameters. @default form */
  tokenRequestEncoding?: "form" | "json";
  /** Headers sent with every token request (each grant) and revocation request, as they are: header name -> literal value (a version header a provider requires on its token endpoint). They may not replace the headers the runtime sets itself (Content-Type, Accept, Authorization; Accept is tokenResponse.accept). @default none */
  tokenRequestHeaders?: {
    [key: string]: string;
  };
  /** Extra parameters sent in token requests, per grant (Shopify's expiring=1 on the code exchange asks for expiring offline tokens). They are sent with the request's own parameters and may not replace them (grant_type, code, redirect_uri, code_verifier, refresh_token, scope, client_id, client_secret). @default none */
  tokenRequestParams?: {
    /** Sent when exchanging an authorization code. */
    authorizationCode?: SpecTokenRequestParamMap;
    /** Sent when asking for a client-credentials token. */
    clientCredentials?: SpecTokenRequestParamMap;
    /** Sent when refreshing an access token. */
    refreshToken?: SpecTokenRequestParamMap;
  };
  /** How to read the token endpoint's answer when it departs from RFC 6749. */
  tokenResponse?: {
    /** Accept header sent to the token endpoint (GitHub answers form-encoded without 'application/json'). */
    accept?: string;
    /** Where the access token is. @default $.access_token */
    accessTokenPath?: SpecJsonPath;
    /** Where the error's description is. @default $.error_description */
    errorDescriptionPath?: SpecJsonPath;
    /** Where the OAuth error code (invalid_grant...) is in an error answer; a refused refresh token is recognised by it. @default $.error */
    errorPath?: SpecJsonPath;
    /** A 200 answer that is really an error (Slack: ok is false). */
    errorWhen?: SpecBodyMatcher;
    /** Where the lifetime in seconds is. @default $.expires_in */
    expiresInPath?: SpecJsonPath;
    /** Values of the answer to keep with the tokens, besides them: a name -> where the value is (Salesforce's instance_url, the org's API base URL: instanceUrl: $.instance_url). They are stored with the tokens (as sensitive as they are: kept out of errors and events), carried over a refresh answer that omits them, and read by the application (StoredTokens.fields, OAuth2TokenManager.getTokenFields()). A path may not be $ or hold a token (the access or refresh token path, or a path that contains one). @default none */
    fields?: {
      [key: string]: SpecJsonPath;
    };
    /** Codes at errorPath that mean the refresh token or code is dead, besides RFC 6749's invalid_grant (HubSpot's BAD_REFRESH_TOKEN): the answer's value is compared exactly, whatever its characters (free text such as 'Invalid Token!' too), and a match is reported as invalid_grant, so a refused refresh becomes ReauthorizationRequiredError. */
    invalidGrantCodes?: string[];
    /** Where the refresh token is. @default $.refresh_token */
    refreshTokenPath?: SpecJsonPath;
  };
  /** Token endpoint. */
  tokenUrl: SpecUrl;
  /** oauth2. */
  type: "oauth2";
};

/**
 * Splits one call whose body carries more items than the provider accepts per request into several requests of at most `max` items each (SendGrid's mail send: at most 1,000 personalizations). The operation gets a second method, <name>Batched, that sends the batches one after the other through the client (rate limits, retries and idempotency keys apply to each) and reports each batch's outcome.
 *
 * From `schema/spec-v1.schema.json#/$defs/batch`.
 */
export type SpecBatch = {
  /** The array in the request body to split: a top-level property ($.personalizations). Every other field of the body is sent with each batch. */
  items: string;
  /** The most items one request may carry. */
  max: number;
  sources?: SpecSources;
};

/**
 * A condition on a JSON response body.
 *
 * From `schema/spec-v1.schema.json#/$defs/bodyMatcher`.
 */
export type SpecBodyMatcher = {
  /** The value at path equals this. */
  equals?: string | number | boolean | null;
  /** The value at path exists (true) or not (false). */
  exists?: boolean;
  /** The value at path is a string matching this regular expression. */
  matches?: string;
  path: SpecJsonPath;
};

/**
 * A rate-limit bucket: rate requests per interval. Without burst, a sliding window: no interval-long window ever holds more than rate request starts, which satisfies strict rolling-window, fixed-window and token-bucket providers alike. With burst, a token bucket of that capacity refilled at rate per interval (Shopify leaky bucket).
 *
 * From `schema/spec-v1.schema.json#/$defs/bucket`.
 */
export type SpecBucket = {
  /** Which requests take from this bucket. Omitted: all requests. Several keys: any match. */
  appliesTo?: {
    /** Operation groups (resources). */
    groups?: SpecName[];
    /** HTTP methods. */
    methods?: SpecHttpMethod[];
    /** Path patterns; '*' matches one segment, '**' any number. */
    paths?: string[];
  };
  /** Token-bucket capacity. Omitted: a sliding window of rate per interval. */
  burst?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  description?: SpecText;
  /** The header family whose counts lower this bucket, and in whose unit rate and burst are counted (with rateLimits.families). A weighted family needs burst (a token bucket). @default requests */
  family?: SpecName;
  /** Longest time a request waits in the queue before failing with a rate-limit error. @default 30s */
  maxQueueWait?: SpecDuration;
  /** The interval, e.g. 1s or 1h. */
  per: SpecDuration;
  /** One bucket of this size per operation (Stripe's default per-endpoint limit) rather than one shared by every operation it applies to. @default false */
  perOperation?: boolean;
  /** Requests allowed per interval. */
  rate: number;
  /** The value of rateLimits.headers.resource that this bucket mirrors (GitHub: core, search). With a resource header declared, a response re-synchronises only the bucket naming its resource. */
  resource?: string;
};

/**
 * Stops calling a provider that is down, and probes until it is back.
 *
 * From `schema/spec-v1.schema.json#/$defs/circuitBreaker`.
 */
export type SpecCircuitBreaker = {
  /** Requests let through while half-open. @default 1 */
  halfOpenProbes?: number;
  /** How long the breaker stays open before probing. @default 30s */
  openFor?: SpecDuration;
  /** One breaker per provider, per host or per rate-limit bucket. @default provider */
  scope?: "provider" | "host" | "bucket";
  /** When the breaker opens: after N consecutive failures, or when the failure ratio over a window passes a value. Failures are 5xx, network errors and timeouts, never 4xx nor an overload answer (429, 503 with Retry-After, retry.notProcessed). @default ratio 0.5 over 30s with at least 20 requests */
  threshold?: {
    /** Consecutive failures that open the breaker. */
    consecutive?: number;
    /** Requests needed in the window before the ratio counts. @default 20 */
    minRequests?: number;
    /** Failure ratio that opens the breaker. @default 0.5 */
    ratio?: number;
    /** Window the ratio is measured over. @default 30s */
    window?: SpecDuration;
  };
};

/**
 * Where a next cursor is read: body (a JSON path in the answer), lastItem or firstItem (a JSON path in that item of the page).
 *
 * From `schema/spec-v1.schema.json#/$defs/cursorSource`.
 */
export type SpecCursorSource = {
  body?: SpecJsonPath;
  firstItem?: SpecJsonPath;
  lastItem?: SpecJsonPath;
};

/**
 * A calendar date, YYYY-MM-DD (UTC).
 *
 * From `schema/spec-v1.schema.json#/$defs/date`.
 */
export type SpecDate = string;

/**
 * A duration: a number followed by a unit, ms, s, m, h or d (for example 500ms, 30s, 1h).
 *
 * From `schema/spec-v1.schema.json#/$defs/duration`.
 */
export type SpecDuration = string;

/**
 * How request parameters are written on the wire.
 *
 * From `schema/spec-v1.schema.json#/$defs/encoding`.
 */
export type SpecEncoding = {
  /** Arrays in form-encoded and multipart bodies. @default indices */
  form?: SpecArrayStyle;
  /** Leave [ and ] un-escaped in keys and values, as stripe-node does (the server reads both). @default false: percent-encoded, as the qs package does. */
  literalBrackets?: boolean;
  /** Arrays in query strings. @default repeat */
  query?: SpecArrayStyle;
  sources?: SpecSources;
};

/**
 * One deployment of the API.
 *
 * From `schema/spec-v1.schema.json#/$defs/environment`.
 */
export type SpecEnvironment = {
  /** Base URL that operation paths are appended to. */
  baseUrl: SpecUrl;
  /** Use this environment when the caller names none. */
  default?: boolean;
  description?: SpecText;
};

/**
 * Normalized error kind: one of the common kinds, or a provider kind in snake_case (card_declined).
 *
 * From `schema/spec-v1.schema.json#/$defs/errorKind`.
 */
export type SpecErrorKind = string;

/**
 * How error responses are recognised, read and classified.
 *
 * From `schema/spec-v1.schema.json#/$defs/errors`.
 */
export type SpecErrors = {
  /** Known provider error codes with their kind and a recovery hint. */
  codes?: {
    [key: string]: {
      description?: SpecText;
      /** What the application can do about it. */
      hint?: SpecText;
      kind?: SpecErrorKind;
      /** For providers whose error bodies carry no code (SendGrid): the answer gets this code when it has none of its own and every pattern given here matches. Patterns are regular expressions, matched case-insensitively; a code with a match is looked for in the codes' sorted order. */
      match?: {
        /** Matches the error message (errors.fields.message). */
        message?: string;
        /** Matches the parameter the error names (errors.fields.param). */
        param?: string;
        /** The answer's status. */
        status?: SpecStatusPattern;
      };
      /** The recovery the provider documents for this code, offered by the generated recover function when the application gives no handler of its own. retrySameKey: wait `after`, then repeat the same request with the same idempotency key (needs retry.idempotency); scheduleLater: hand the work to the application's scheduler to run again after `after`. */
      recovery?: {
        /** retrySameKey: the same request again with the same idempotency key; scheduleLater: the work handed to the application's scheduler. */
        action: "retrySameKey" | "scheduleLater";
        /** How long to wait before the request is made again. */
        after: SpecDuration;
      };
      /** Whether an error with this code may be retried. */
      retryable?: boolean;
    };
  };
  /** Where each part of an error is found in the body: a JSON path, or a list of paths tried in order for providers that answer in more than one shape (code: [$.error, $.error.title] reads {"error": "RecordNotFound"} and {"error": {"title": "Forbidden"}}). The first path that yields a usable value wins: a non-empty string, or a number as its decimal text, or a list starting with one; a message path that yields an object or a list is passed over for the next, and read as a message (its message, its items, its fields) only when no path yields a string or number. */
  fields?: {
    /** The provider's error code, which errors.rules and errors.codes match (a number is read as its decimal text). */
    code?: SpecJsonPaths;
    /** A link to the provider's page about the error. */
    docUrl?: SpecJsonPaths;
    /** The error message. When no path yields one, the message is the body's first 200 characters (HTTP <status> for an empty body). */
    message?: SpecJsonPaths;
    /** The parameter the error names. Without a param path, a message that is a field map ({"title": ["can't be blank"]}) names its first field. */
    param?: SpecJsonPaths;
    /** The provider's request id in the error body (HubSpot's $.correlationId). The requestIdHeader wins when the answer carries both. */
    requestId?: SpecJsonPaths;
    /** The provider's error type, which errors.rules match. */
    type?: SpecJsonPaths;
  };
  /** Response header carrying the provider's request id. */
  requestIdHeader?: SpecHeaderName;
  /** Classification rules, first match wins: a match on status, code and/or type gives a normalized kind. */
  rules?: {
    /** Provider error code (string or number). */
    code?: string | number;
    kind: SpecErrorKind;
    /** Whether an error of this rule may be retried. */
    retryable?: boolean;
    /** Status code, class ('4xx') or list of them that the rule matches. */
    status?: SpecStatusPattern | SpecStatusPattern[];
    /** Provider error type. */
    type?: string;
  }[];
  sources?: SpecSources;
  /** Responses that are errors. @default [{status: 4xx}, {status: 5xx}] */
  when?: SpecResponseMatcher[];
};

/**
 * A condition on a response header.
 *
 * From `schema/spec-v1.schema.json#/$defs/headerMatcher`.
 */
export type SpecHeaderMatcher = {
  /** The header has exactly this value. */
  equals?: string;
  name: SpecHeaderName;
  /** The header is present (true) or absent (false). */
  present?: boolean;
};

/**
 * An HTTP header name (matched case-insensitively).
 *
 * From `schema/spec-v1.schema.json#/$defs/headerName`.
 */
export type SpecHeaderName = string;

/**
 * An HTTP method, upper case.
 *
 * From `schema/spec-v1.schema.json#/$defs/httpMethod`.
 */
export type SpecHttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/**
 * A path into a JSON body, written $.a.b[0].c (a leading $ and dots; [n] for array items).
 *
 * From `schema/spec-v1.schema.json#/$defs/jsonPath`.
 */
export type SpecJsonPath = string;

/**
 * A path into a JSON body, written $.a.b[0].c, where [*] stands for every item of an array ($.value[*].clientState).
 *
 * From `schema/spec-v1.schema.json#/$defs/jsonPathAll`.
 */
export type SpecJsonPathAll = string;

/**
 * A JSON path, or a list of them tried in order: the first that yields a usable value wins.
 *
 * From `schema/spec-v1.schema.json#/$defs/jsonPaths`.
 */
export type SpecJsonPaths = SpecJsonPath | SpecJsonPath[];

/**
 * A JSON Schema (draft 2020-12 or OpenAPI 3.x schema object) describing a value. Its contents are checked when types are generated from it.
 *
 * From `schema/spec-v1.schema.json#/$defs/jsonSchema`.
 */
export type SpecJsonSchema = {
  [key: string]: unknown;
};

/**
 * A name used as a key: any text of 1 to 128 characters (a parameter's key is the name sent on the wire, such as page[size]). Generated code turns it into a readable TypeScript identifier (page[size] becomes pageSize; a leading digit gets an underscore).
 *
 * From `schema/spec-v1.schema.json#/$defs/name`.
 */
export type SpecName = string;

/**
 * One HTTP operation.
 *
 * From `schema/spec-v1.schema.json#/$defs/operation`.
 */
export type SpecOperation = {
  /** The auth modes this operation is sent with, by preference (the first the client holds credentials for): a GitHub App's JWT for /app endpoints. [] sends no credentials (a public endpoint). @default the client's default mode */
  auth?: string[];
  batch?: SpecBatch;
  /** The request body. */
  body?: {
    /** The media type a json body is sent with, when the provider asks for another than application/json (JSON:API's application/vnd.api+json). A Content-Type header given to the client or the call wins. @default application/json */
    contentType?: string;
    /** json, form (application/x-www-form-urlencoded with bracket nesting) or multipart. */
    encoding: "json" | "form" | "multipart";
    /** Whether a body must be given. @default false */
    required?: boolean;
    schema?: SpecJsonSchema;
  };
  /** Rate-limit buckets this operation takes from, besides those whose appliesTo matches. */
  buckets?: SpecName[];
  /** Marks the method @deprecated. */
  deprecated?: boolean;
  description?: SpecText;
  /** Resource the operation belongs to; dots nest it (crm.contacts is client.crm.contacts, the class <Provider>CrmContactsResource inside <Provider>CrmResource). @default the first path segment */
  group?: SpecName;
  /** Whether retrying is safe without a key. @default true for GET, HEAD, PUT, DELETE, OPTIONS */
  idempotent?: boolean;
  method: SpecHttpMethod;
  /** Method name inside the group. @default the operation id */
  name?: SpecName;
  pagination?: SpecPagination;
  /** Path, query and header parameters by name. */
  params?: {
    [key: string]: {
      description?: SpecText;
      /** Where the parameter goes: the path ({name} placeholder), the query string or a header. */
      in: "path" | "query" | "header";
      /** Path parameters are always required. @default false */
      required?: boolean;
      schema?: SpecJsonSchema;
      /** Arrays of this query parameter, when they differ from encoding.query. */
      style?: SpecArrayStyle;
    };
  };
  /** Path relative to the base URL, with {name} path parameters. */
  path: string;
  /** Responses by status code. */
  responses?: {
    [key: string]: {
      description?: SpecText;
      schema?: SpecJsonSchema;
    };
  };
  stream?: SpecStream;
  /** One line shown in the editor. */
  summary?: string;
  /** This operation's attempt timeout (a long generation), overriding the client's default; a per-call timeout overrides it. A longer timeout than the default total also raises the total. */
  timeout?: SpecDuration;
};

/**
 * What the spec says about one imported operation beyond the document.
 *
 * From `schema/spec-v1.schema.json#/$defs/operationOverride`.
 */
export type SpecOperationOverride = {
  /** The auth modes this operation is sent with, by preference (the first the client holds credentials for): a GitHub App's JWT for /app endpoints. [] sends no credentials (a public endpoint). @default the client's default mode */
  auth?: string[];
  batch?: SpecBatch;
  /** Rate-limit buckets this operation takes from, besides those whose appliesTo matches. */
  buckets?: SpecName[];
  /** Resource the operation belongs to; dots nest it (crm.contacts is client.crm.contacts). @default from groupBy */
  group?: SpecName;
  /** Whether retrying is safe without a key. @default true for GET, HEAD, PUT, DELETE, OPTIONS */
  idempotent?: boolean;
  /** Method name inside the group. @default from the operationId */
  name?: SpecName;
  pagination?: SpecPagination;
  stream?: SpecStream;
  /** This operation's attempt timeout (a long generation), overriding the client's default; a per-call timeout overrides it. A longer timeout than the default total also raises the total. */
  timeout?: SpecDuration;
};

/**
 * The API's operations: imported from OpenAPI 3.0/3.1 documents and/or declared inline. Both become the same typed methods (client.<group>.<name>).
 *
 * From `schema/spec-v1.schema.json#/$defs/operations`.
 */
export type SpecOperations = {
  /** OpenAPI 3.0 or 3.1 documents whose operations the client gets, filtered and overridden per operation. An inline operation with the same group and name replaces an imported one. */
  import?: SpecOperationsImport[];
  /** Operations by id. The id becomes the method name; the group becomes the resource (client.customers.create). */
  inline?: {
    [key: string]: SpecOperation;
  };
  /** Named JSON Schemas the inline operations refer to with $ref: '#/operations/schemas/<Name>'. Each becomes an exported type of the same name. */
  schemas?: {
    [key: string]: SpecJsonSchema;
  };
};

/**
 * One imported OpenAPI document.
 *
 * From `schema/spec-v1.schema.json#/$defs/operationsImport`.
 */
export type SpecOperationsImport = {
  /** None of these operations (applied after include). */
  exclude?: SpecOperationsImportFilter;
  /** The document: a path relative to this spec ('./openapi.json') or a package path ('@octokit/openapi/generated/api.github.com.json'). JSON or YAML. */
  from: string;
  /** Where an operation's group (client.<group>) comes from: 'operationId' takes the part before '/' ('repos/get' is repos.get) and falls back to the first tag; 'tag' takes the first tag; 'path' the first path segment that is not a version or parameter. @default operationId */
  groupBy?: "operationId" | "tag" | "path";
  /** Only these operations. @default every operation */
  include?: SpecOperationsImportFilter;
  /** Per-operation settings by operationId (or 'METHOD /path' for an operation without one). */
  overrides?: {
    [key: string]: SpecOperationOverride;
  };
  /** Pagination for every imported operation that has the given query parameter (GitHub's list operations all take `page` and page by Link header). An override's pagination wins. When `items` is left out it is inferred per operation from the success response: the body itself when it is an array, else its only array property ($.workflow_runs). */
  pagination?: {
    pagination: SpecPagination;
    /** The query parameter that marks a list operation. */
    whenQueryParam: string;
  };
  /** Rewrites the start of every imported path, where the document's paths and the environment's base URL split the URL differently: SendGrid's paths (/mail/send) are relative to its server's /v3, Twilio's carry the version (/2010-04-01/Accounts/...). { from: '/2010-04-01', to: '/{apiVersion}' } sends the pinned version in the path. Filters (include, exclude) still match the document's paths. */
  rebase?: {
    /** The prefix every imported path starts with, taken off; a path that does not start with it is left out, with a warning. @default "" */
    from?: string;
    /** The prefix put in its place ('/{apiVersion}'). */
    to: string;
  };
  sources?: SpecSources;
};

/**
 * Operations selected by tag, operationId or path; an operation matches when any list matches it.
 *
 * From `schema/spec-v1.schema.json#/$defs/operationsImportFilter`.
 */
export type SpecOperationsImportFilter = {
  /** operationIds, exactly as the document writes them. */
  operationIds?: string[];
  /** Path patterns: '*' matches within one segment, '**' any number of segments ('/repos/{owner}/{repo}/\**'). */
  paths?: string[];
  /** Tags, exactly as the document writes them. */
  tags?: string[];
};

/**
 * How a list operation pages. The generated method returns a Paginated: await it for the first page, or iterate `for await (const item of ...)` over every item (`.pages()` for whole pages); each page goes through the pipeline, and iteration stops at the last page, an empty page, or a cursor or URL the provider already handed out.
 *
 * From `schema/spec-v1.schema.json#/$defs/pagination`.
 */
export type SpecPagination = {
  /** cursor style: paging the other way (Stripe's ending_before, from the first item). Taken when the call carries this param; each direction's later pages send only that direction's cursor, never both. */
  backward?: {
    cursor: SpecCursorSource;
    /** \@default the forward hasMore */
    hasMore?: SpecJsonPath;
    param: SpecRequestValueLocation;
  };
  /** cursor style: the next cursor, read from the body (body: $.response_metadata.next_cursor), from the last item (lastItem: $.id) or from the first item (firstItem: $.id). An empty or missing cursor ends the iteration. */
  cursor?: SpecCursorSource;
  /** cursor style: a boolean in the body that says whether another page follows (Stripe $.has_more). */
  hasMore?: SpecJsonPath;
  /** Where the page's items are in the body. @default $ (the body is the array) */
  items?: SpecJsonPath;
  /** nextUrl style: where the next page URL is in the body. It must stay on the client's origin; when the client's base URL overrides the environment's (a proxy, a mock), a URL on the environment's base URL is moved onto the client's. */
  next?: SpecJsonPath;
  /** Where the cursor, page number or offset goes (cursor, page, offset styles): a query parameter name, or one of query, header, body (a JSON path in the JSON body: POST search endpoints such as HubSpot's take { after } there) or form (a field of a form body). */
  param?: SpecRequestValueLocation;
  /** page and offset styles: the page-size parameter; a page shorter than it is the last. */
  sizeParam?: string;
  /** page style: the first page number. @default 1 */
  start?: number;
  /** cursor: a cursor parameter taken from the body or the last item (Stripe starting_after, Slack cursor). linkHeader: the Link header rel="next" URL (GitHub, Shopify). nextUrl: the next page URL in the body (Twilio next_page_uri). page: a page number parameter. offset: an offset parameter advanced by the items received. */
  style: "cursor" | "linkHeader" | "nextUrl" | "page" | "offset";
};

/**
 * Who the provider is.
 *
 * From `schema/spec-v1.schema.json#/$defs/provider`.
 */
export type SpecProvider = {
  description?: SpecText;
  /** Where the provider's API reference lives. */
  docsUrl?: SpecUrl;
  /** Machine name of the provider: lower case letters, digits and '-'. It names the output folder generated/<name>/ and the generated factory (createStripeClient). */
  name: string;
  sources?: SpecSources;
  /** Human name of the provider, e.g. Stripe. */
  title: string;
  /** Product token sent in User-Agent before Switchboard's own, e.g. my-app/1.0. */
  userAgent?: string;
};

/**
 * Response headers that report the provider's own count of requests (the "requests" family). The provider's numbers can only lower what the client sends: a request counts against them until an answer shows the provider counted it. With headers and no bucket, the client learns buckets from the headers alone (one per resource when `resource` is declared).
 *
 * From `schema/spec-v1.schema.json#/$defs/rateLimitHeaders`.
 */
export type SpecRateLimitHeaders = {
  /** The provider's count read from the JSON answer body instead of headers (Shopify GraphQL's extensions.cost.throttleStatus), as a continuously refilling bucket: the bucket's size, what is left, and how many units it refills per second; it is full again (the reset) after (limit - remaining) / refillPerSecond seconds. Read when the family's headers do not give a count. */
  body?: {
    /** Where the body holds the bucket's size ($.extensions.cost.throttleStatus.maximumAvailable). */
    limit: SpecJsonPath;
    /** Where the body holds the units the bucket refills per second ($.extensions.cost.throttleStatus.restoreRate). */
    refillPerSecond: SpecJsonPath;
    /** Where the body holds the units left ($.extensions.cost.throttleStatus.currentlyAvailable). */
    remaining: SpecJsonPath;
  };
  /** What one request costs in this family's unit, when it is not 1 (tokens, points): a number read from the JSON request body, else the default. Where the answer says what the request actually cost (answer, answerHeader), the limiter replaces its estimate with that once the answer is in: the local bucket is charged the actual cost and the difference is given back (or taken). */
  cost?: {
    /** Where the JSON answer body holds what the request actually cost ($.extensions.cost.actualQueryCost, Shopify GraphQL). */
    answer?: SpecJsonPath;
    /** A response header holding what the request actually cost. */
    answerHeader?: SpecHeaderName;
    /** The cost of a request whose body does not say. */
    default: number;
    /** Where the request body holds the cost or an estimate of it ($.max_tokens). */
    request?: SpecJsonPath;
  };
  /** Header with the size of the window's allowance. */
  limit?: SpecHeaderName;
  /** Header with the requests left in the window. */
  remaining?: SpecHeaderName;
  /** Header telling when the window resets. */
  reset?: SpecHeaderName;
  /** How the reset header is written: epoch seconds or ms, seconds from now (fractional allowed), an HTTP date, an RFC 3339 timestamp, or a duration from now in Go's notation ('6m0s', '1s', '20ms', OpenAI). A reset is read as the time by which the window has reset: a provider that rounds should round up. @default epoch-seconds */
  resetFormat?: "epoch-seconds" | "epoch-ms" | "seconds" | "http-date" | "rfc3339" | "duration";
  /** What the reset means: 'window' (a fixed window; at the reset the whole limit is available again) or 'refill' (a continuously refilling bucket that is full again at the reset; OpenAI). @default window */
  resetMeaning?: "window" | "refill";
  /** Header naming which limit (resource) the numbers belong to. */
  resource?: SpecHeaderName;
  /** Header with the requests used in the window. */
  used?: SpecHeaderName;
};

/**
 * How the provider limits request rates, and how it tells the client.
 *
 * From `schema/spec-v1.schema.json#/$defs/rateLimits`.
 */
export type SpecRateLimits = {
  /** Token buckets by name. A request takes a token from every bucket that applies to it. */
  buckets?: {
    [key: string]: SpecBucket;
  };
  /** Further families of rate-limit headers by name, each with its own unit and reset (OpenAI's tokens beside its requests: x-ratelimit-*-tokens). A bucket follows a family with `family`; a family no bucket follows is learned from its headers. */
  families?: {
    [key: string]: SpecRateLimitHeaders;
  };
  headers?: SpecRateLimitHeaders;
  /** Responses that mean 'rate limited' besides a plain 429 (e.g. GitHub's 403 with x-ratelimit-remaining: 0). A 429 always counts. */
  limitedWhen?: SpecResponseMatcher[];
  /** A rate-limited answer that says neither Retry-After nor a reset makes the bucket (and the retry) wait at least this long (GitHub's secondary limits: at least a minute). */
  minWait?: SpecDuration;
  sources?: SpecSources;
};

/**
 * Where a value goes in a request: a query parameter name, or exactly one of query (parameter name), header (header name), body (a JSON path into the JSON body, objects created as needed) or form (a field of a form body).
 *
 * From `schema/spec-v1.schema.json#/$defs/requestValueLocation`.
 */
export type SpecRequestValueLocation =
  | string
  | {
      body?: SpecJsonPath;
      /** A field of the form-encoded body. */
      form?: string;
      header?: SpecHeaderName;
      /** A query parameter's name. */
      query?: string;
    };

/**
 * A condition on a response: all given parts must hold.
 *
 * From `schema/spec-v1.schema.json#/$defs/responseMatcher`.
 */
export type SpecResponseMatcher = {
  body?: SpecBodyMatcher;
  header?: SpecHeaderMatcher;
  /** Status code, class ('4xx') or list of them. */
  status?: SpecStatusPattern | SpecStatusPattern[];
};

/**
 * When and how failed attempts are retried.
 *
 * From `schema/spec-v1.schema.json#/$defs/retry`.
 */
export type SpecRetry = {
  /** Exponential backoff between attempts. */
  backoff?: {
    /** Delay before the first retry. @default 500ms */
    base?: SpecDuration;
    /** Largest delay. @default 30s */
    cap?: SpecDuration;
    /** How the delay grows with the retry number n (1 = first retry): exponential (base x 2^(n-1)) or quadratic (base x n^2: 1, 4, 9 s for base 1s, as @octokit/plugin-retry waits); capped either way. @default exponential */
    growth?: "exponential" | "quadratic";
    /** Randomisation: full (0..delay), equal (delay/2..delay) or none. @default full */
    jitter?: "full" | "equal" | "none";
  };
  /** Retry budget: retries may add at most this fraction of traffic over the window, so retries cannot storm. */
  budget?: {
    /** Retries always allowed per second, whatever the ratio. @default 10 */
    minPerSecond?: number;
    /** Retries per request allowed. @default 0.2 */
    ratio?: number;
    /** Window the ratio is measured over. @default 10s */
    window?: SpecDuration;
  };
  /** Provider error codes (as normalized by the errors section) that are retried. */
  errorCodes?: string[];
  /** Provider headers that override the retry decision (Stripe-Should-Retry). */
  hints?: {
    header: SpecHeaderName;
    /** Header value that forces a retry. @default 'true' */
    retryWhen?: string;
    /** Header value that forbids a retry. @default 'false' */
    stopWhen?: string;
  }[];
  /** Idempotency keys that make non-idempotent requests safe to retry. */
  idempotency?: {
    /** Header carrying the key, e.g. Idempotency-Key. */
    header: SpecHeaderName;
    /** Longest key the provider accepts. */
    maxLength?: number;
    /** Methods that get a key automatically. @default [POST] */
    methods?: SpecHttpMethod[];
    /** Path patterns of the operations that take a key ('*' one segment, '**' any number, as in rateLimits appliesTo.paths); absent: every operation of methods. A key is generated only for these; a caller may still pass one. */
    paths?: string[];
    /** Prefix of generated keys. */
    prefix?: string;
  };
  /** Attempts in all, the first included. @default 3 */
  maxAttempts?: number;
  /** Network error codes that are retried. @default [ECONNRESET, ECONNREFUSED, ETIMEDOUT, EPIPE, UND_ERR_SOCKET] */
  networkErrors?: string[];
  /** Answers that mean the provider did not process the request (overloaded, come back later), so they are retried on any method, after their Retry-After, and never count toward opening the circuit breaker. A 429 and a 503 with a Retry-After always mean this; a connection refused before anything was sent too. Everything else may have been processed and is retried only when repeating is safe (idempotent method or operation, or an idempotency key). */
  notProcessed?: {
    /** Provider error codes (as normalized by the errors section) that mean not processed, e.g. overloaded_error. */
    errorCodes?: string[];
    /** Statuses or classes of statuses ('5xx') that mean not processed, e.g. 529. */
    statuses?: SpecStatusPattern[];
  };
  /** Server-sent delay hints. */
  retryAfter?: {
    /** Headers read in order; retry-after-ms is in milliseconds, others in seconds or an HTTP date. @default [retry-after-ms, retry-after] */
    headers?: SpecHeaderName[];
    /** Longest server-asked wait the client sits through; beyond it the call fails with a rate-limit error that says when to retry. @default 60s */
    maxWait?: SpecDuration;
  };
  sources?: SpecSources;
  /** Statuses that are retried. @default [408, 429, 500, 502, 503, 504] */
  statuses?: SpecStatusCode[];
};

/**
 * Where the facts in this section come from: documentation URLs or official SDK file paths. Kept as comments in generated code.
 *
 * From `schema/spec-v1.schema.json#/$defs/sources`.
 */
export type SpecSources = string[];

/**
 * An HTTP status code.
 *
 * From `schema/spec-v1.schema.json#/$defs/statusCode`.
 */
export type SpecStatusCode = number;

/**
 * An HTTP status code (429) or a class of codes written as a string ('5xx').
 *
 * From `schema/spec-v1.schema.json#/$defs/statusPattern`.
 */
export type SpecStatusPattern = SpecStatusCode | string;

/**
 * The answer is a stream of events, read as it arrives: server-sent events (text/event-stream) or NDJSON (one JSON value per line). The generated method returns an EventStream: `for await (const { event, data } of ...)` yields each declared event with its typed data; `break` or the caller's AbortSignal stops it and releases the connection. Opening the stream goes through rate limits, the breaker, retries and the total timeout; once it is open nothing is retried, and it ends when nothing arrives for timeout.idleMs.
 *
 * From `schema/spec-v1.schema.json#/$defs/stream`.
 */
export type SpecStream = {
  /** How each event's data is read: json (parsed) or text. @default json */
  data?: "json" | "text";
  /** What ends the stream, never yielded: data exactly this text (OpenAI's data: [DONE]; SSE only) or an event of this name. A stream that ends without it fails with StreamProtocolError (truncated). */
  done?: {
    /** SSE data exactly this text ends the stream ("[DONE]"). */
    data?: string;
    /** An event of this name ends the stream. */
    event?: string;
  };
  /** Events that carry a provider error: the stream ends with the error the errors section (fields, codes, rules) makes of their data. */
  errors?: {
    /** An event of this name. */
    event?: string;
    /** An event whose data has a value at this path ($.error). */
    has?: SpecJsonPath;
    /** The HTTP status the error rules read it as. @default the stream's status (200) */
    status?: SpecStatusCode;
  }[];
  /** Where the data names its event (OpenAI's responses stream: $.type); it replaces the SSE event: field as the event's name. */
  eventType?: SpecJsonPath;
  /** The events the stream yields, by name, each with the schema of its data. An SSE event's name is its `event:` field ("message" when it has none); an NDJSON line's is the value at eventType, or "message". Events not listed are skipped. @default every event, data unknown */
  events?: {
    [key: string]: {
      description?: SpecText;
      schema?: SpecJsonSchema;
    };
  };
  /** sse: server-sent events (event:, data:, id:, retry: fields; a blank line ends an event). ndjson: one JSON value per line. */
  format: "sse" | "ndjson";
  /** The longest line, and the longest data of one event, in characters; a longer one ends the stream with StreamProtocolError (line_too_long) instead of growing memory. @default 4194304 */
  maxLineLength?: number;
};

/**
 * Free text. It ends up in JSDoc comments of the generated code, escaped.
 *
 * From `schema/spec-v1.schema.json#/$defs/text`.
 */
export type SpecText = string;

/**
 * Parameter name -> value, sent as they are.
 *
 * From `schema/spec-v1.schema.json#/$defs/tokenRequestParamMap`.
 */
export type SpecTokenRequestParamMap = {
  [key: string]: string;
};

/**
 * An absolute http(s) URL. It may contain {placeholders} filled at run time (for example {shop} or {apiVersion}).
 *
 * From `schema/spec-v1.schema.json#/$defs/url`.
 */
export type SpecUrl = string;

/**
 * A value read from a header, from the JSON body, or from a field of a form-encoded body (exactly one of them); a number is read as its decimal text.
 *
 * From `schema/spec-v1.schema.json#/$defs/valueLocation`.
 */
export type SpecValueLocation = {
  body?: SpecJsonPath;
  /** Name of a form field (form-encoded bodies, e.g. Twilio's MessageSid). */
  form?: string;
  header?: SpecHeaderName;
  /** Only the values listed here are taken, each as what it maps to (Twitch's message type revocation -> revocation); any other value passes on to the next location of the list. */
  map?: {
    [key: string]: string;
  };
};

/**
 * Values the caller supplies when creating a client, filled into {name} placeholders of base URLs and auth URLs (for example Shopify's {shop}).
 *
 * From `schema/spec-v1.schema.json#/$defs/variables`.
 */
export type SpecVariables = {
  [key: string]: {
    /** Value used when the caller gives none; without one the variable is required. */
    default?: string;
    description?: SpecText;
    /** Regular expression (Unicode mode) a value must match; checked when the client is created. */
    pattern?: string;
  };
};

/**
 * API versions: which one the client pins, how it is sent, and which are deprecated.
 *
 * From `schema/spec-v1.schema.json#/$defs/versions`.
 */
export type SpecVersions = {
  /** Provider-specific response headers that signal deprecation (besides Deprecation and Sunset). */
  deprecationHeaders?: SpecHeaderName[];
  /** Declarative changes between versions, applied to responses and webhook payloads (changes) and to requests (requests). */
  migrations?: {
    /** Changes applied in order; [] when the two versions share one shape (no breaking change between them). */
    changes: {
      /** rename or move a field to 'to', copy it to 'to' (keeping it), remove it, default it to 'value' when absent, or mapValue: replace its value through 'values' (an enum value renamed). */
      op: "rename" | "move" | "copy" | "remove" | "default" | "mapValue";
      path: SpecJsonPath;
      to?: SpecJsonPath;
      /** Only objects of this type (the value of their 'object' or type field). */
      type?: string;
      /** Value for op default. */
      value?: unknown;
      /** For op mapValue: old value -> new value. */
      values?: {
        [key: string]: string;
      };
    }[];
    /** Version the payload is written in. */
    from: string;
    /** How operations' requests differ at 'to' from 'from': a query parameter, header or body field renamed, removed or added at 'to', or a value of it renamed. Generated params types follow the pinned version; a call sent at another version is rewritten along the chain of steps (inverted, to an older version). */
    requests?: {
      body?: SpecJsonPath;
      description?: SpecText;
      header?: SpecHeaderName;
      /** rename: the field is named 'to' from this version on; remove: the field is gone from this version on; add: the field exists from this version on; mapValue: its values are renamed ('values', old -> new). */
      op: "rename" | "remove" | "add" | "mapValue";
      /** Id of the operation (or ids) the change applies to. */
      operation: string | string[];
      /** A query parameter, by wire name. */
      query?: string;
      /** For op rename: the new name (a query parameter or header name, or a JSON path for a body field). */
      to?: string;
      /** For op mapValue: old value -> new value. */
      values?: {
        [key: string]: string;
      };
    }[];
    /** Version the application expects. */
    to: string;
  }[];
  /** Version sent by default. */
  pinned: string;
  /** How the version is sent: in a header, a path segment ({apiVersion} in a base URL or path) or a query parameter. */
  send: {
    /** Where the version goes: a header, the path ({apiVersion} placeholder) or a query parameter. */
    in: "header" | "path" | "query";
    /** Header or query parameter name (not used for path). */
    name?: string;
  };
  sources?: SpecSources;
  /** Versions the client may be pinned to, with their lifecycle. */
  supported?: {
    [key: string]: {
      /** Date the version was deprecated. */
      deprecated?: SpecDate;
      description?: SpecText;
      /** Date the version stops working. */
      sunset?: SpecDate;
    };
  };
};

/**
 * The signature scheme as data. Every algorithm but shared-secret needs header, format, content and encoding.
 *
 * From `schema/spec-v1.schema.json#/$defs/webhookSignature`.
 */
export type SpecWebhookSignature = {
  /** true states that the spec's author knows the signature leaves the body unsigned (content has neither body nor sortedFormParams: Mailgun signs a timestamp and a token only), so whoever has captured one delivery can attach its signature to any payload. Without it, validate warns. */
  acknowledgeUnsignedBody?: boolean;
  /** Signing algorithm. jwt-hs256: the header carries a JSON Web Token signed HMAC-SHA256 with the secret (see jwt); shared-secret: no signature, the secret itself is repeated in the body or a header (see sharedSecret). */
  algorithm: "hmac-sha1" | "hmac-sha256" | "hmac-sha512" | "ed25519" | "ecdsa-p256-sha256" | "jwt-hs256" | "shared-secret";
  /** A header that may name the HMAC algorithm (Twilio's X-Twilio-Webhooks-Signature-Settings: key=...,algorithm=HMAC_SHA256): comma-separated key=value items; the item named key is looked up in values, without regard to case. Without the header or the item, algorithm applies; a value not in values is a malformed signature. */
  algorithmFrom?: {
    /** Header carrying the settings. */
    header: SpecHeaderName;
    /** Key of the item that names the algorithm, e.g. algorithm. */
    key: string;
    /** What the item may say, and the algorithm each value means. */
    values: {
      [key: string]: "hmac-sha1" | "hmac-sha256" | "hmac-sha512";
    };
  };
  /** Other header sets the same scheme arrives under (e.g. webhook-* next to svix-*). Each value (signature, timestamp, id) is read from the first set, in order, whose header for that value the delivery carries: value by value, as the svix library reads svix-* before webhook-*. */
  alternativeHeaders?: {
    /** Header carrying the signature in this set. */
    header: SpecHeaderName;
    /** Header carrying the message id in this set. */
    idHeader?: SpecHeaderName;
    /** Header carrying the timestamp in this set. */
    timestampHeader?: SpecHeaderName;
  }[];
  /** A digest of the body carried as a URL query parameter (Twilio's bodySHA256 for JSON bodies): when the URL has the parameter, the body is not read as form parameters and must hash to its value; the URL itself is signed. */
  bodyHash?: {
    /** Digest of the raw body. @default sha256 */
    algorithm?: "sha256";
    /** Encoding of the digest. @default hex */
    encoding?: "hex" | "base64";
    /** Name of the query parameter, e.g. bodySHA256. */
    queryParam: string;
  };
  /** The signed content as a sequence of parts: body is the raw body bytes; timestamp and id the values as received (from their header, or timestampAt); url the full URL posted to; method the request method (POST); sortedFormParams the form parameters sorted by name and appended as name + value (a repeated name once per distinct value, values sorted); literal fixed text; {body: $.path} a value read from the JSON body (a number as its decimal text; Mailgun's $.signature.token). */
  content?: (
    | "body"
    | "timestamp"
    | "id"
    | "url"
    | "method"
    | "sortedFormParams"
    | {
        /** Literal text between parts. */
        literal: string;
      }
    | {
        /** A value of the JSON body, signed as its text. */
        body: SpecJsonPath;
      }
  )[];
  /** Encoding of the signature. */
  encoding?: "hex" | "base64" | "base64url";
  /** The key or secret as the provider's docs show it (a public example key, or a made-up secret of the same form; never a real secret). Validate checks that it is in the form secretEncoding declares (PEM, 64 hex digits, base64, whsec_, a JWK) and proposes the encoding that fits it. */
  exampleKey?: string;
  /** How the signature header is written. */
  format?: {
    /** single: text before the signature, e.g. sha256=. */
    prefix?: string;
    /** keyValue: separator between pairs. @default ',' */
    separator?: string;
    /** keyValue: key of each signature, e.g. v1. */
    signatureKey?: string;
    /** single: one value; keyValue: 't=..,v1=..' pairs; versionedList: space-separated 'v1,<sig>' items. */
    style: "single" | "keyValue" | "versionedList";
    /** keyValue: key of the timestamp, e.g. t. */
    timestampKey?: string;
    /** versionedList: version tag of signatures that count, e.g. v1. */
    version?: string;
  };
  /** Header carrying the signature. */
  header?: SpecHeaderName;
  /** Header carrying the message id that is part of the signed content. */
  idHeader?: SpecHeaderName;
  /** jwt-hs256: what the token must claim. The token is the header value after format.prefix (e.g. "Bearer "); its protected header must name HS256; exp and nbf, when present, are checked against the clock. */
  jwt?: {
    /** The claim that carries a digest of the raw body (Vonage: payload_hash, hex SHA-256); the body is covered only through it. */
    bodyHash?: {
      /** Digest of the raw body. @default sha256 */
      algorithm?: "sha256";
      /** Name of the claim. */
      claim: string;
      /** How the digest is written. @default hex */
      encoding?: "hex" | "base64" | "base64url";
    };
    /** The iss claim the token must carry (and webhook sign writes). */
    issuer?: string;
    /** The claim with the time the token was issued (unix seconds, e.g. iat): the replay timestamp that tolerance judges. */
    timestampClaim?: string;
  };
  /** How the secret is turned into key bytes, or which form the public key comes in: raw, base64, whsec-base64 (HMAC secrets); pem-public-key, base64-spki (base64 of the DER SubjectPublicKeyInfo), hex-public-key (a raw 32-byte Ed25519 key as 64 hex digits, as Discord hands it out), jwk (a JSON Web Key). PEM is accepted for every public-key form. @default raw */
  secretEncoding?: "raw" | "base64" | "whsec-base64" | "pem-public-key" | "base64-spki" | "hex-public-key" | "jwk";
  /** shared-secret: where the provider repeats the secret, exactly one of at (in the JSON body: Microsoft Graph's $.value[*].clientState) and header (GitLab's X-Gitlab-Token). Every value there must equal the secret (constant-time), and there must be at least one. This authenticates the sender only: the body is not signed. */
  sharedSecret?: {
    /** true states that the spec's author knows the body is not signed: whoever has seen one delivery can send any body with the secret, so every field but the secret is attacker-controlled until re-read from the API. Without it, validate warns. */
    acknowledgeUnsignedBody?: boolean;
    at?: SpecJsonPathAll;
    /** The header that carries the secret as is (GitLab's X-Gitlab-Token); the body may then be in any encoding. */
    header?: SpecHeaderName;
  };
  /** Where the signature is in the JSON body, instead of header (Mailgun's $.signature.signature). The body is then parsed before the signature is checked, and content cannot have body (the signature would sign itself). */
  signatureAt?: SpecJsonPath;
  /** Where the timestamp is in the JSON body, instead of a header (Linear's $.webhookTimestamp in milliseconds, Mailgun's $.signature.timestamp); a number is read as its decimal text. It is covered by the signature when content has body, timestamp, or a body part at the same path. */
  timestampAt?: SpecJsonPath;
  /** How the timestamp is written: seconds (unix seconds), milliseconds (unix milliseconds, HubSpot) or rfc3339 (Twitch's 2023-07-19T10:59:14.108153462Z). It is signed as received; tolerance is judged on its value. @default seconds */
  timestampFormat?: "seconds" | "milliseconds" | "rfc3339";
  /** Header carrying the timestamp (unix seconds), if not in the signature header. */
  timestampHeader?: SpecHeaderName;
  /** How far the timestamp may be from now. */
  tolerance?: SpecDuration;
  /** past: only old timestamps are rejected; both: future ones too. @default both */
  toleranceDirection?: "past" | "both";
  /** exact: the URL must be signed as given; either: a URL signed with or without its default port (:443, :80) verifies both ways. @default exact */
  urlDefaultPort?: "exact" | "either";
};

/**
 * How the provider signs webhook deliveries and which events it sends.
 *
 * From `schema/spec-v1.schema.json#/$defs/webhooks`.
 */
export type SpecWebhooks = {
  /** Where a delivery says which API version shaped its payload (Stripe: body $.api_version; Shopify: the X-Shopify-API-Version header), a location or a list tried in order. With a versions section, the verified event carries apiVersion: the version, whether it matches the pinned one, and whether a migration leads from it to the pinned one. */
  apiVersion?: SpecValueLocation | SpecValueLocation[];
  /** Where the delivery's unique id is (for exactly-once handling): a location, or a list tried in order (the first that holds a string wins). */
  eventId?: SpecValueLocation | SpecValueLocation[];
  /** Where the event type is: a location, or a list tried in order (the first that holds a string wins). */
  eventType?: SpecValueLocation | SpecValueLocation[];
  /** Event types by name (the value of eventType), each with a description and an optional payload schema. An event also imported (eventsImport) keeps the description and payload given here. */
  events?: {
    [key: string]: {
      description?: SpecText;
      /** JSON Schema of the event's payload (the parsed body). `$ref: "#/webhooks/schemas/Name"` refers to a named schema. Without one the payload is `unknown`. */
      payload?: SpecJsonSchema;
    };
  };
  /** Imports event types and payload schemas from a document (besides any listed under events). */
  eventsImport?: {
    /** Which event a webhook belongs to. key: its name in `webhooks`; x-github-subcategory: the operation's `x-github.subcategory` with `-` read as `_` (the X-GitHub-Event value; several webhooks, one per action, share one event). @default key */
    eventType?: "key" | "x-github-subcategory";
    /** openapi-webhooks: the `webhooks` section of an OpenAPI 3.1 document; each webhook's JSON request body schema is a payload of its event. */
    format: "openapi-webhooks";
    /** The document: a package path resolved with Node's resolution from the spec's folder (`@octokit/openapi-webhooks/generated/api.github.com.json`), or a path relative to the spec (`./x.json`). JSON only. */
    from: string;
  };
  /** Verification challenges the endpoint must answer instead of handling an event (Slack's url_verification, Twitch's webhook_callback_verification, Dropbox's GET ?challenge=, Zoom's endpoint.url_validation, Discord's PING, Asana's X-Hook-Secret), by name. The generated handler and every adapter answer them as respond says: the echoed value (in the body, or in a response header), or a JSON object of literals, the echo and (for a signed challenge only) an HMAC of the echo. */
  handshakes?: {
    [key: string]: {
      /** true: the provider signs the challenge, so it is answered only after the signature verifies (an unsigned one is rejected like any delivery). false: the provider cannot sign it (Dropbox's GET, Microsoft Graph's validationToken); it is answered before verification, with the echo and nothing else. */
      authenticated: boolean;
      description?: SpecText;
      /** Where the challenge value to send back is: header, query or body. Required unless respond is a JSON object that does not use the echo (a constant answer such as Discord's PONG). */
      echo?: {
        body?: SpecJsonPath;
        header?: SpecHeaderName;
        /** A query parameter of the delivery URL. */
        query?: string;
      };
      /** The request method the challenge comes with (GET). @default any */
      method?: string;
      /** text: the echo as text/plain; json: {"challenge": echo}; {header: name}: an empty body, and the echo as the value of the response header name (Asana's X-Hook-Secret); {json: {...}}: a JSON object whose fields are literals, {from: echo} (the echo), or {from: echo, hmac, encoding} (an HMAC of the echo with the webhook secret, as Zoom's encryptedToken; a signed challenge of an HMAC scheme only). Every answer is 200. @default text */
      respond?:
        | "text"
        | "json"
        | {
            /** The answer's fields, by name, in the order given. */
            json: {
              [key: string]:
                | string
                | number
                | boolean
                | null
                | {
                    /** How the HMAC is written. @default hex */
                    encoding?: "hex" | "base64";
                    /** echo: the challenge value at echo. */
                    from: "echo";
                    /** Answer with the HMAC of the value under the webhook secret (decoded per signature.secretEncoding) instead of the value. */
                    hmac?: "sha1" | "sha256" | "sha512";
                  };
            };
          }
        | {
            /** The response header that carries the echo (X-Hook-Secret); the body is empty. Not a header with a meaning of its own to the client (Content-Type, Set-Cookie, Location, ...). */
            header: SpecHeaderName;
          };
      /** The delivery is this challenge when the value at header, query or body is present and, with equals, equal to it. */
      when: {
        body?: SpecJsonPath;
        /** The value that marks the challenge: a string, or a number for a JSON number in the body (Discord's type 1). */
        equals?: string | number;
        header?: SpecHeaderName;
        /** A query parameter of the delivery URL. */
        query?: string;
      };
    };
  };
  /** Largest body accepted, in bytes. @default 1048576 */
  maxBodySize?: number;
  /** Where the key of the object an event is about is (Stripe: body $.data.object.id): events with one key are handled one at a time and in the order received by the webhook inbox. A location, or a list tried in order (the first that holds a string wins); the verified event carries it as orderKey. */
  orderKey?: SpecValueLocation | SpecValueLocation[];
  /** How the verified body is read into the event's payload. */
  payload?: {
    /** Whether an empty body with a valid signature is a delivery (payload undefined) or is rejected as invalid_payload. @default false */
    allowEmpty?: boolean;
    /** json: JSON.parse; form: form parameters (name -> value, repeated names as lists); auto: form when Content-Type is application/x-www-form-urlencoded, JSON otherwise; text: the body decoded as UTF-8, a string (XML or any other text, as Zendesk's trigger webhooks may send); a body that is not valid UTF-8 is invalid_payload, and eventType, eventId, orderKey, apiVersion and handshakes can then only read headers (or the query). @default json */
    encoding?: "json" | "form" | "auto" | "text";
  };
  /** What the provider expects back. */
  response?: {
    /** The status a verified delivery is answered with once it is stored to be handled later (the webhook inbox's createInboxWebhookHandler), duplicates included; Microsoft Graph asks for 202 Accepted there. A 2xx. @default the status */
    queuedStatus?: SpecStatusCode;
    /** The status a verified delivery is answered with once the handler has run (createWebhookHandler), duplicates included. A 2xx: anything else makes the provider deliver again. @default 200 */
    status?: SpecStatusCode;
    /** Time the provider waits for the answer. */
    timeBudget?: SpecDuration;
  };
  /** Named JSON Schemas that payloads refer to with `$ref: "#/webhooks/schemas/Name"`; each referenced one becomes a named type (recursion allowed). */
  schemas?: {
    [key: string]: SpecJsonSchema;
  };
  signature: SpecWebhookSignature;
  sources?: SpecSources;
};
