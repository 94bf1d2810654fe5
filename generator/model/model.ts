/**
 * Stage 3, model: the validated document becomes the IR. Every default comes from common/defaults.ts, applied
 * in this stage (here, operations/ and webhook-events.ts), never by an emitter;
 * durations become milliseconds, JSON paths become segment arrays, header names become lower case,
 * names become identifiers, and everything is sorted.
 */
import type {
  AuthModeDefinition,
  BodyMatcher,
  CircuitBreakerDefinition,
  ErrorCodeMatch,
  ErrorFieldPath,
  ErrorsDefinition,
  HandshakeAnswerField,
  HandshakeValueLocation,
  ProviderDefinition,
  RateLimitHeadersDefinition,
  RateLimitsDefinition,
  ResponseMatcher,
  RetryDefinition,
  StatusPattern,
  ValueLocation,
  WebhookHeaderSet,
  VersionRequestChange,
  VersionsDefinition,
  WebhookHandshakeDefinition,
  WebhooksDefinition,
} from "@switchboard/runtime/contract";
import { parseDuration } from "../common/duration.js";
import { COMMON_ERROR_KINDS } from "../common/error-kinds.js";
import { DEFAULTS, RUNTIME_DEFAULTS } from "../common/defaults.js";
import type { SpecModel } from "./ir.js";
import { parseJsonPath } from "../common/json-path.js";
import { bindingName } from "../common/names.js";
import { compareCodePoints, sortedKeys } from "../common/sort.js";
import type {
  SpecAuthMode,
  SpecBodyMatcher,
  SpecDocument,
  SpecRateLimitHeaders,
  SpecResponseMatcher,
  SpecValueLocation,
  SpecWebhooks,
  SpecWebhookSignature,
} from "../validate/spec-types.js";

type SpecWebhookHeaderSet = NonNullable<SpecWebhookSignature["alternativeHeaders"]>[number];
/** Where a handshake value is: exactly one of header, query or body (validate checks it). */
type SpecHandshakeLocation = NonNullable<NonNullable<SpecWebhooks["handshakes"]>[string]["echo"]>;

export { COMMON_ERROR_KINDS };

export { DEFAULTS };

/** Event types and payload types, resolved by the events stage (webhook-events.ts). */
export type ResolvedEvents = Pick<SpecModel, "events" | "payloadDeclarations" | "eventsImport">;

/** Operations and their types, resolved by the operations stage (operations/index.ts). */
export type ResolvedOperations = Pick<SpecModel, "groups" | "schemaDeclarations" | "operationsImports">;

export function buildModel(
  file: string,
  sha256: string,
  doc: SpecDocument,
  resolved: ResolvedEvents,
  operations: ResolvedOperations = { groups: [], schemaDeclarations: [], operationsImports: [] },
): SpecModel {
  const groups = operations.groups;
  const errors = buildErrors(doc);
  const definition: ProviderDefinition = {
    name: doc.provider.name,
    title: doc.provider.title,
    ...(doc.provider.userAgent !== undefined && { userAgent: doc.provider.userAgent }),
    environments: Object.fromEntries(sortedKeys(doc.environments).map((name) => [name, { baseUrl: doc.environments[name]!.baseUrl }])),
    defaultEnvironment: defaultEnvironment(doc),
    variables: Object.fromEntries(
      sortedKeys(doc.variables).map((name) => {
        const v = doc.variables![name]!;
        return [name, { ...(v.pattern !== undefined && { pattern: v.pattern }), ...(v.default !== undefined && { default: v.default }) }];
      }),
    ),
    auth: {
      ...(doc.auth && { defaultMode: doc.auth.default ?? Object.keys(doc.auth.modes)[0]! }),
      modes: Object.fromEntries(sortedKeys(doc.auth?.modes).map((name) => [name, authMode(doc.auth!.modes[name]!)])),
    },
    encoding: {
      query: doc.encoding?.query ?? DEFAULTS.encoding.query,
      form: doc.encoding?.form ?? DEFAULTS.encoding.form,
      literalBrackets: doc.encoding?.literalBrackets ?? DEFAULTS.encoding.literalBrackets,
    },
    rateLimits: rateLimits(doc),
    retry: retry(doc),
    circuitBreaker: circuitBreaker(doc),
    errors,
    ...(doc.versions && { versions: versions(doc) }),
    ...(doc.webhooks && { webhooks: webhooks(doc) }),
  };
  const kinds = new Set<string>(COMMON_ERROR_KINDS);
  const extraKinds = [...errors.rules.map((r) => r.kind), ...Object.values(errors.codes).flatMap((c) => (c.kind ? [c.kind] : []))].filter(
    (k) => !kinds.has(k),
  );
  const sources: Record<string, string[]> = {};
  for (const section of ["provider", "auth", "rateLimits", "retry", "errors", "versions", "webhooks"] as const) {
    const list = (doc[section] as { sources?: string[] } | undefined)?.sources;
    if (list && list.length > 0) sources[section] = list;
  }
  const importSources = (doc.operations?.import ?? []).flatMap((i) => i.sources ?? []);
  if (importSources.length > 0) sources["operations"] = importSources;
  return {
    file,
    sha256,
    provider: {
      name: doc.provider.name,
      title: doc.provider.title,
      ...(doc.provider.description !== undefined && { description: doc.provider.description }),
      ...(doc.provider.docsUrl !== undefined && { docsUrl: doc.provider.docsUrl }),
    },
    names: { pascal: bindingName(doc.provider.name, "pascal"), camel: bindingName(doc.provider.name, "camel") },
    definition,
    environments: sortedKeys(doc.environments).map((name) => withDescription({ name }, doc.environments[name]!.description)),
    variables: sortedKeys(doc.variables).map((name) =>
      withDescription({ name, required: doc.variables![name]!.default === undefined }, doc.variables![name]!.description),
    ),
    authModes: sortedKeys(doc.auth?.modes).map((name) =>
      withDescription({ name, type: doc.auth!.modes[name]!.type }, doc.auth!.modes[name]!.description),
    ),
    groups,
    errorCodes: sortedKeys(doc.errors?.codes).map((code) => {
      const c = doc.errors!.codes![code]!;
      return {
        code,
        ...(c.kind !== undefined && { kind: c.kind }),
        ...(c.retryable !== undefined && { retryable: c.retryable }),
        ...(c.hint !== undefined && { hint: c.hint }),
        ...(c.description !== undefined && { description: c.description }),
      };
    }),
    errorKinds: [...COMMON_ERROR_KINDS, ...[...new Set(extraKinds)].sort(compareCodePoints)],
    versions: sortedKeys(doc.versions?.supported).map((version) => {
      const v = doc.versions!.supported![version]!;
      return {
        version,
        ...(v.deprecated !== undefined && { deprecated: v.deprecated }),
        ...(v.sunset !== undefined && { sunset: v.sunset }),
        ...(v.description !== undefined && { description: v.description }),
      };
    }),
    schemaDeclarations: operations.schemaDeclarations,
    operationsImports: operations.operationsImports,
    events: resolved.events,
    payloadDeclarations: resolved.payloadDeclarations,
    ...(resolved.eventsImport !== undefined && { eventsImport: resolved.eventsImport }),
    sources,
  };
}

/** A string map with its keys in code-point order (generated output is byte-identical). */
function sortedMap(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(sortedKeys(map).map((key) => [key, map![key]!]));
}

function withDescription<T extends object>(value: T, description: string | undefined): T & { description?: string } {
  return description === undefined ? value : { ...value, description };
}

function defaultEnvironment(doc: SpecDocument): string {
  const names = Object.keys(doc.environments);
  return names.find((name) => doc.environments[name]!.default === true) ?? names[0]!;
}

function authMode(mode: SpecAuthMode): AuthModeDefinition {
  switch (mode.type) {
    case "apiKey":
      return {
        type: "apiKey",
        in: mode.in,
        name: mode.in === "header" ? mode.name.toLowerCase() : mode.name,
        prefix: mode.prefix ?? DEFAULTS.auth.apiKeyPrefix,
      };
    case "basic":
      return { type: "basic", passwordOptional: mode.passwordOptional ?? DEFAULTS.auth.basicPasswordOptional };
    case "bearer":
      return {
        type: "bearer",
        header: (mode.header ?? DEFAULTS.auth.bearerHeader).toLowerCase(),
        prefix: mode.prefix ?? DEFAULTS.auth.bearerPrefix,
      };
    case "oauth2": {
      const tokenResponse = mode.tokenResponse ?? {};
      return {
        type: "oauth2",
        ...(mode.authorizationUrl !== undefined && { authorizationUrl: mode.authorizationUrl }),
        tokenUrl: mode.tokenUrl,
        ...(mode.revocationUrl !== undefined && { revocationUrl: mode.revocationUrl }),
        ...(mode.revocationToken === "accessToken" && { revocationToken: "accessToken" as const }),
        ...(mode.rotatingRefreshTokens === false && { rotatingRefreshTokens: false as const }),
        grants: mode.grants,
        pkce: mode.pkce ?? DEFAULTS.oauth2.pkce,
        tokenEndpointAuthMethod: mode.tokenEndpointAuthMethod ?? DEFAULTS.oauth2.tokenEndpointAuthMethod,
        ...(mode.tokenRequestEncoding === "json" && { tokenRequestEncoding: "json" as const }),
        scopes: sortedKeys(mode.scopes),
        ...(mode.defaultScopes !== undefined && { defaultScopes: mode.defaultScopes }),
        scopeSeparator: mode.scopeSeparator ?? DEFAULTS.oauth2.scopeSeparator,
        authorizationParams: sortedMap(mode.authorizationParams),
        ...(mode.tokenRequestParams !== undefined && {
          tokenRequestParams: Object.fromEntries(
            sortedKeys(mode.tokenRequestParams).map((grant) => [
              grant,
              sortedMap(mode.tokenRequestParams![grant as keyof typeof mode.tokenRequestParams]),
            ]),
          ),
        }),
        ...(mode.tokenRequestHeaders !== undefined && {
          tokenRequestHeaders: sortedMap(
            Object.fromEntries(Object.entries(mode.tokenRequestHeaders).map(([name, value]) => [name.toLowerCase(), value])),
          ),
        }),
        tokenResponse: {
          ...(tokenResponse.accept !== undefined && { accept: tokenResponse.accept }),
          accessTokenPath: parseJsonPath(tokenResponse.accessTokenPath ?? DEFAULTS.oauth2.accessTokenPath),
          refreshTokenPath: parseJsonPath(tokenResponse.refreshTokenPath ?? DEFAULTS.oauth2.refreshTokenPath),
          expiresInPath: parseJsonPath(tokenResponse.expiresInPath ?? DEFAULTS.oauth2.expiresInPath),
          ...(tokenResponse.errorPath !== undefined && { errorPath: parseJsonPath(tokenResponse.errorPath) }),
          ...(tokenResponse.errorDescriptionPath !== undefined && {
            errorDescriptionPath: parseJsonPath(tokenResponse.errorDescriptionPath),
          }),
          ...(tokenResponse.invalidGrantCodes !== undefined && { invalidGrantCodes: tokenResponse.invalidGrantCodes }),
          ...(tokenResponse.errorWhen && { errorWhen: bodyMatcher(tokenResponse.errorWhen) }),
          ...(tokenResponse.fields !== undefined && {
            fields: Object.fromEntries(sortedKeys(tokenResponse.fields).map((name) => [name, parseJsonPath(tokenResponse.fields![name]!)])),
          }),
        },
        ...(mode.defaultTokenLifetime !== undefined && { defaultTokenLifetimeMs: parseDuration(mode.defaultTokenLifetime) }),
        refreshSkewMs: parseDuration(mode.refreshSkew ?? DEFAULTS.oauth2.refreshSkew),
        header: (mode.header ?? DEFAULTS.oauth2.header).toLowerCase(),
        prefix: mode.prefix ?? DEFAULTS.oauth2.prefix,
      };
    }
    case "githubApp":
      return {
        type: "githubApp",
        installationTokenUrl: mode.installationTokenUrl,
        jwtLifetimeMs: parseDuration(mode.jwtLifetime ?? DEFAULTS.githubApp.jwtLifetime),
        clockSkewMs: parseDuration(mode.clockSkew ?? DEFAULTS.githubApp.clockSkew),
        refreshSkewMs: parseDuration(mode.refreshSkew ?? DEFAULTS.githubApp.refreshSkew),
      };
  }
}

function statusPatterns(status: number | string | (number | string)[] | undefined): readonly StatusPattern[] | undefined {
  if (status === undefined) return undefined;
  return (Array.isArray(status) ? status : [status]).map((s) => s as StatusPattern);
}

function bodyMatcher(m: SpecBodyMatcher): BodyMatcher {
  return {
    path: parseJsonPath(m.path),
    ...(m.equals !== undefined && { equals: m.equals }),
    ...(m.exists !== undefined && { exists: m.exists }),
    ...(m.matches !== undefined && { matches: m.matches }),
  };
}

function responseMatcher(m: SpecResponseMatcher): ResponseMatcher {
  const status = statusPatterns(m.status);
  return {
    ...(status && { status }),
    ...(m.header && {
      header: {
        name: m.header.name.toLowerCase(),
        ...(m.header.equals !== undefined && { equals: m.header.equals }),
        ...(m.header.present !== undefined && { present: m.header.present }),
      },
    }),
    ...(m.body && { body: bodyMatcher(m.body) }),
  };
}

function rateLimitHeaders(h: SpecRateLimitHeaders): RateLimitHeadersDefinition {
  const header = (key: "limit" | "remaining" | "used" | "reset" | "resource") => {
    const value = h[key];
    return value === undefined ? {} : { [key]: value.toLowerCase() };
  };
  return {
    ...header("limit"),
    ...header("remaining"),
    ...header("used"),
    ...header("reset"),
    resetFormat: h.resetFormat ?? DEFAULTS.rateLimits.resetFormat,
    ...(h.resetMeaning !== undefined && h.resetMeaning !== RUNTIME_DEFAULTS.resetMeaning && { resetMeaning: h.resetMeaning }),
    ...header("resource"),
    ...(h.cost && {
      cost: {
        ...(h.cost.request !== undefined && { request: parseJsonPath(h.cost.request) }),
        ...(h.cost.answer !== undefined && { answer: parseJsonPath(h.cost.answer) }),
        ...(h.cost.answerHeader !== undefined && { answerHeader: h.cost.answerHeader.toLowerCase() }),
        default: h.cost.default,
      },
    }),
    ...(h.body && {
      body: {
        limit: parseJsonPath(h.body.limit),
        remaining: parseJsonPath(h.body.remaining),
        refillPerSecond: parseJsonPath(h.body.refillPerSecond),
      },
    }),
  };
}

function rateLimits(doc: SpecDocument): RateLimitsDefinition {
  const section = doc.rateLimits ?? {};
  const families = sortedKeys(section.families).map((name) => ({ name, ...rateLimitHeaders(section.families![name]!) }));
  return {
    ...(section.headers && { headers: rateLimitHeaders(section.headers) }),
    ...(families.length > 0 && { families }),
    ...(section.minWait !== undefined && { minWaitMs: parseDuration(section.minWait) }),
    limitedWhen: (section.limitedWhen ?? []).map(responseMatcher),
    buckets: Object.fromEntries(
      sortedKeys(section.buckets).map((name) => {
        const b = section.buckets![name]!;
        const appliesTo = b.appliesTo && {
          ...(b.appliesTo.methods && { methods: b.appliesTo.methods }),
          ...(b.appliesTo.paths && { paths: b.appliesTo.paths }),
          ...(b.appliesTo.groups && { groups: b.appliesTo.groups }),
        };
        return [
          name,
          {
            rate: b.rate,
            perMs: parseDuration(b.per),
            ...(b.burst !== undefined && { burst: b.burst }),
            ...(b.concurrency !== undefined && { concurrency: b.concurrency }),
            ...(b.resource !== undefined && { resource: b.resource }),
            ...(b.family !== undefined && b.family !== RUNTIME_DEFAULTS.bucketFamily && { family: b.family }),
            ...(b.perOperation === true && { perOperation: true }),
            maxQueueWaitMs: parseDuration(b.maxQueueWait ?? DEFAULTS.rateLimits.maxQueueWait),
            ...(appliesTo && { appliesTo }),
          },
        ];
      }),
    ),
  };
}

function retry(doc: SpecDocument): RetryDefinition {
  const r = doc.retry ?? {};
  const d = DEFAULTS.retry;
  return {
    maxAttempts: r.maxAttempts ?? d.maxAttempts,
    backoff: {
      baseMs: parseDuration(r.backoff?.base ?? d.base),
      capMs: parseDuration(r.backoff?.cap ?? d.cap),
      jitter: r.backoff?.jitter ?? d.jitter,
      ...(r.backoff?.growth === "quadratic" && { growth: "quadratic" as const }),
    },
    statuses: [...(r.statuses ?? d.statuses)].sort((a, b) => a - b),
    networkErrors: [...(r.networkErrors ?? d.networkErrors)],
    errorCodes: [...(r.errorCodes ?? [])],
    retryAfter: {
      headers: (r.retryAfter?.headers ?? d.retryAfterHeaders).map((x) => x.toLowerCase()),
      maxWaitMs: parseDuration(r.retryAfter?.maxWait ?? d.maxWait),
    },
    hints: (r.hints ?? []).map((hint) => ({
      header: hint.header.toLowerCase(),
      retryWhen: hint.retryWhen ?? d.hintRetryWhen,
      stopWhen: hint.stopWhen ?? d.hintStopWhen,
    })),
    ...(r.idempotency && {
      idempotency: {
        header: r.idempotency.header.toLowerCase(),
        methods: r.idempotency.methods ?? d.idempotencyMethods,
        ...(r.idempotency.paths !== undefined && { paths: r.idempotency.paths }),
        ...(r.idempotency.maxLength !== undefined && { maxLength: r.idempotency.maxLength }),
        prefix: r.idempotency.prefix ?? d.idempotencyPrefix,
      },
    }),
    budget: {
      ratio: r.budget?.ratio ?? d.budgetRatio,
      windowMs: parseDuration(r.budget?.window ?? d.budgetWindow),
      minPerSecond: r.budget?.minPerSecond ?? d.budgetMinPerSecond,
    },
    // Emitted only when declared: 429 and 503-with-Retry-After are "not processed" without it.
    ...(r.notProcessed && {
      notProcessed: { statuses: statusPatterns(r.notProcessed.statuses) ?? [], errorCodes: [...(r.notProcessed.errorCodes ?? [])] },
    }),
  };
}

function circuitBreaker(doc: SpecDocument): CircuitBreakerDefinition {
  const c = doc.circuitBreaker ?? {};
  const d = DEFAULTS.circuitBreaker;
  const t = c.threshold;
  return {
    scope: c.scope ?? d.scope,
    // Undeclared, the breaker opens only on sustained failure: a ratio over a window with a minimum of calls.
    threshold:
      t?.consecutive !== undefined
        ? { type: "consecutive", failures: t.consecutive }
        : {
            type: "ratio",
            ratio: t?.ratio ?? d.ratio,
            windowMs: parseDuration(t?.window ?? d.window),
            minRequests: t?.minRequests ?? d.minRequests,
          },
    openForMs: parseDuration(c.openFor ?? d.openFor),
    halfOpenProbes: c.halfOpenProbes ?? d.halfOpenProbes,
  };
}

function buildErrors(doc: SpecDocument): ErrorsDefinition {
  const e = doc.errors ?? {};
  const fields = e.fields ?? {};
  const field = (key: keyof typeof fields) => (fields[key] === undefined ? {} : { [key]: errorFieldPath(fields[key]) });
  return {
    when: (e.when ?? DEFAULTS.errors.when).map(responseMatcher),
    fields: { ...field("code"), ...field("type"), ...field("message"), ...field("param"), ...field("docUrl"), ...field("requestId") },
    ...(e.requestIdHeader !== undefined && { requestIdHeader: e.requestIdHeader.toLowerCase() }),
    rules: (e.rules ?? []).map((rule) => {
      const status = statusPatterns(rule.status);
      return {
        ...(status && { status }),
        ...(rule.code !== undefined && { code: rule.code }),
        ...(rule.type !== undefined && { type: rule.type }),
        kind: rule.kind,
        ...(rule.retryable !== undefined && { retryable: rule.retryable }),
      };
    }),
    codes: Object.fromEntries(
      sortedKeys(e.codes).map((code) => {
        const c = e.codes![code]!;
        return [
          code,
          {
            ...(c.kind !== undefined && { kind: c.kind }),
            ...(c.retryable !== undefined && { retryable: c.retryable }),
            ...(c.hint !== undefined && { hint: c.hint }),
            ...(c.recovery !== undefined && { recovery: { action: c.recovery.action, afterMs: parseDuration(c.recovery.after) } }),
            ...(c.match !== undefined && { match: codeMatch(c.match) }),
          },
        ];
      }),
    ),
  };
}

/**
 * An error field's paths as the runtime reads them: a path listed again is dropped (validate warns), and
 * what remains is one path when one is left (a spec's single path emits as it always has), else the list.
 */
function errorFieldPath(paths: string | readonly string[]): ErrorFieldPath {
  const distinct = [...new Set(typeof paths === "string" ? [paths] : paths)].map(parseJsonPath);
  return distinct.length === 1 ? distinct[0]! : distinct;
}

function codeMatch(m: { message?: string; param?: string; status?: number | string }): ErrorCodeMatch {
  const status = statusPatterns(m.status);
  return {
    ...(m.message !== undefined && { message: m.message }),
    ...(m.param !== undefined && { param: m.param }),
    ...(status && { status }),
  };
}

type SpecRequestChange = NonNullable<NonNullable<SpecDocument["versions"]>["migrations"]>[number]["requests"] & {};

/** A request change as the runtime reads it: one location, its path parsed (semantics checked there is one). */
function requestChange(c: SpecRequestChange[number]): VersionRequestChange {
  const where = c.query !== undefined ? "query" : c.header !== undefined ? "header" : "body";
  const path = where === "query" ? [c.query!] : where === "header" ? [c.header!] : parseJsonPath(c.body!);
  const to = c.to === undefined ? undefined : where === "body" ? parseJsonPath(c.to) : [c.to];
  return {
    operations: typeof c.operation === "string" ? [c.operation] : [...c.operation],
    op: c.op,
    in: where,
    path,
    ...(c.op === "rename" && to !== undefined && { to }),
    ...(c.op === "mapValue" && c.values !== undefined && { values: sortedRecord(c.values) }),
  };
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(sortedKeys(record).map((key) => [key, record[key]!]));
}

/** The versions section as the runtime reads it (also read by the operations stage: types follow the pinned version). */
export function versions(doc: SpecDocument): VersionsDefinition {
  const v = doc.versions!;
  return {
    pinned: v.pinned,
    send:
      v.send.in === "path" ? { in: "path" } : { in: v.send.in, name: v.send.in === "header" ? v.send.name!.toLowerCase() : v.send.name! },
    supported: Object.fromEntries(
      sortedKeys(v.supported).map((version) => {
        const s = v.supported![version]!;
        return [
          version,
          { ...(s.deprecated !== undefined && { deprecated: s.deprecated }), ...(s.sunset !== undefined && { sunset: s.sunset }) },
        ];
      }),
    ),
    deprecationHeaders: (v.deprecationHeaders ?? []).map((h) => h.toLowerCase()),
    migrations: (v.migrations ?? []).map((m) => ({
      from: m.from,
      to: m.to,
      changes: m.changes.map((c) => ({
        op: c.op,
        ...(c.type !== undefined && { type: c.type }),
        path: parseJsonPath(c.path),
        ...(c.to !== undefined && { to: parseJsonPath(c.to) }),
        ...(c.op === "default" && { value: c.value }),
        ...(c.op === "mapValue" && c.values !== undefined && { values: sortedRecord(c.values) }),
      })),
      ...(m.requests !== undefined && m.requests.length > 0 && { requests: m.requests.map(requestChange) }),
    })),
  };
}

function valueLocations(locations: SpecValueLocation | SpecValueLocation[] | undefined): ValueLocation[] | undefined {
  if (locations === undefined) return undefined;
  return (Array.isArray(locations) ? locations : [locations]).map((location) => {
    const map = location.map && { map: Object.fromEntries(sortedKeys(location.map).map((k) => [k, location.map![k]!])) };
    return "header" in location
      ? { header: location.header.toLowerCase(), ...map }
      : "body" in location
        ? { body: parseJsonPath(location.body), ...map }
        : { form: location.form!, ...map };
  });
}

function signature(s: SpecWebhookSignature): WebhooksDefinition["signature"] {
  // shared-secret has no header, format, content or encoding (validate requires them of the others).
  if (s.algorithm === "shared-secret")
    return {
      algorithm: s.algorithm,
      header: "",
      alternativeHeaders: [],
      format: { style: "single", prefix: "" },
      content: [],
      encoding: "hex",
      secretEncoding: DEFAULTS.webhooks.secretEncoding,
      toleranceDirection: DEFAULTS.webhooks.toleranceDirection,
      urlDefaultPort: DEFAULTS.webhooks.urlDefaultPort,
      sharedSecret:
        s.sharedSecret!.header !== undefined
          ? { header: s.sharedSecret!.header.toLowerCase() }
          : { at: parseJsonPath(s.sharedSecret!.at!) },
    };
  const sformat = s.format!;
  const format: WebhooksDefinition["signature"]["format"] =
    sformat.style === "single"
      ? { style: "single", prefix: sformat.prefix ?? DEFAULTS.webhooks.signaturePrefix }
      : sformat.style === "keyValue"
        ? {
            style: "keyValue",
            separator: sformat.separator ?? DEFAULTS.webhooks.signatureSeparator,
            ...(sformat.timestampKey !== undefined && { timestampKey: sformat.timestampKey }),
            signatureKey: sformat.signatureKey!,
          }
        : { style: "versionedList", version: sformat.version! };
  return {
    algorithm: s.algorithm,
    // A signature in the body (signatureAt) has no header (validate requires one of them).
    ...headerSet({ ...s, header: s.header ?? "" }),
    alternativeHeaders: (s.alternativeHeaders ?? []).map(headerSet),
    format,
    content: s.content!.map((part) => (typeof part === "object" && "body" in part ? { body: parseJsonPath(part.body) } : part)),
    encoding: s.encoding!,
    secretEncoding: s.secretEncoding ?? DEFAULTS.webhooks.secretEncoding,
    ...(s.tolerance !== undefined && { toleranceMs: parseDuration(s.tolerance) }),
    toleranceDirection: s.toleranceDirection ?? DEFAULTS.webhooks.toleranceDirection,
    ...(s.timestampFormat !== undefined &&
      s.timestampFormat !== RUNTIME_DEFAULTS.timestampFormat && { timestampFormat: s.timestampFormat }),
    ...(s.bodyHash !== undefined && {
      bodyHash: {
        queryParam: s.bodyHash.queryParam,
        algorithm: s.bodyHash.algorithm ?? DEFAULTS.webhooks.bodyHashAlgorithm,
        encoding: s.bodyHash.encoding ?? DEFAULTS.webhooks.bodyHashEncoding,
      },
    }),
    urlDefaultPort: s.urlDefaultPort ?? DEFAULTS.webhooks.urlDefaultPort,
    ...(s.timestampAt !== undefined && { timestampAt: parseJsonPath(s.timestampAt) }),
    ...(s.signatureAt !== undefined && { signatureAt: parseJsonPath(s.signatureAt) }),
    ...(s.algorithmFrom !== undefined && {
      algorithmFrom: {
        header: s.algorithmFrom.header.toLowerCase(),
        key: s.algorithmFrom.key,
        values: Object.fromEntries(sortedKeys(s.algorithmFrom.values).map((k) => [k, s.algorithmFrom!.values[k]!])),
      },
    }),
    ...(s.jwt !== undefined && {
      jwt: {
        ...(s.jwt.bodyHash !== undefined && {
          bodyHash: {
            claim: s.jwt.bodyHash.claim,
            algorithm: s.jwt.bodyHash.algorithm ?? DEFAULTS.webhooks.bodyHashAlgorithm,
            encoding: s.jwt.bodyHash.encoding ?? DEFAULTS.webhooks.bodyHashEncoding,
          },
        }),
        ...(s.jwt.timestampClaim !== undefined && { timestampClaim: s.jwt.timestampClaim }),
        ...(s.jwt.issuer !== undefined && { issuer: s.jwt.issuer }),
      },
    }),
  };
}

function headerSet(s: SpecWebhookHeaderSet): WebhookHeaderSet {
  return {
    header: s.header.toLowerCase(),
    ...(s.timestampHeader !== undefined && { timestampHeader: s.timestampHeader.toLowerCase() }),
    ...(s.idHeader !== undefined && { idHeader: s.idHeader.toLowerCase() }),
  };
}

function webhooks(doc: SpecDocument): WebhooksDefinition {
  const w = doc.webhooks!;
  const eventId = valueLocations(w.eventId);
  const eventType = valueLocations(w.eventType);
  const apiVersion = valueLocations(w.apiVersion);
  const orderKey = valueLocations(w.orderKey);
  return {
    signature: signature(w.signature),
    ...(eventId && { eventId }),
    ...(orderKey && { orderKey }),
    ...(eventType && { eventType }),
    ...(apiVersion && { apiVersion }),
    maxBodySize: w.maxBodySize ?? DEFAULTS.webhooks.maxBodySize,
    payload: {
      encoding: w.payload?.encoding ?? DEFAULTS.webhooks.payloadEncoding,
      allowEmpty: w.payload?.allowEmpty ?? DEFAULTS.webhooks.allowEmpty,
    },
    response: {
      status: w.response?.status ?? DEFAULTS.webhooks.status,
      ...(w.response?.queuedStatus !== undefined && { queuedStatus: w.response.queuedStatus }),
      ...(w.response?.timeBudget !== undefined && { timeBudgetMs: parseDuration(w.response.timeBudget) }),
    },
    ...(w.handshakes !== undefined && {
      handshakes: sortedKeys(w.handshakes).map((name) => {
        const h = w.handshakes![name]!;
        return {
          name,
          authenticated: h.authenticated,
          ...(h.method !== undefined && { method: h.method.toUpperCase() }),
          when: { at: handshakeLocation(h.when), ...(h.when.equals !== undefined && { equals: h.when.equals }) },
          ...(h.echo !== undefined && { echo: handshakeLocation(h.echo) }),
          respond: handshakeRespond(h.respond),
        };
      }),
    }),
  };
}

/**
 * A handshake's answer: text or {"challenge"} by name, a response header (its name in lower case), or a
 * JSON object whose HMAC fields say their encoding.
 */
function handshakeRespond(respond: NonNullable<SpecWebhooks["handshakes"]>[string]["respond"]): WebhookHandshakeDefinition["respond"] {
  if (respond === undefined || typeof respond === "string") return respond ?? DEFAULTS.webhooks.handshakeRespond;
  if ("header" in respond) return { header: respond.header.toLowerCase() };
  const json: Record<string, HandshakeAnswerField> = {};
  for (const [name, field] of Object.entries(respond.json))
    json[name] =
      field === null || typeof field !== "object" || field.hmac === undefined
        ? field
        : { from: field.from, hmac: field.hmac, encoding: field.encoding ?? DEFAULTS.webhooks.handshakeHmacEncoding };
  return { json };
}

function handshakeLocation(location: SpecHandshakeLocation): HandshakeValueLocation {
  if (location.header !== undefined) return { header: location.header.toLowerCase() };
  if (location.query !== undefined) return { query: location.query };
  return { body: parseJsonPath(location.body!) };
}

/**
 * `base`, or the first of `base_2`, `base_3`, ... not in `used`; the result is added to `used`.
 * Identifiers from names.ts contain no underscore after their first character and end in at most
 * one, so a numbered name never equals another derived name.
 */
