/**
 * The client in parts, so an application ships only what its provider's spec uses (the same mechanism
 * as the webhook verifier's parts, ../webhooks/parts.ts). client-core.ts carries out what every spec
 * does; each part below adds one feature a spec may declare, and the generated `create<Provider>Core`
 * passes exactly the parts its spec needs (`clientPartsFor`). A definition used without a part it
 * needs is refused with a ConfigurationError, never run with that feature skipped.
 */
import type {
  OperationDefinition,
  ProviderDefinition,
  RateLimitsDefinition,
  StreamDefinition,
  VariableDefinition,
  VersionsDefinition,
} from "../definition.js";
import type { Clock } from "../clock.js";
import { ConfigurationError } from "../errors/errors.js";
import type { MakeStreamContext } from "./stream.js";
import type { ProviderAllowance } from "../policies/provider-allowance.js";
import type { FamilyPolicy, Permit, ProviderCount, RateLimiter, RateLimiterOptions } from "../policies/rate-limit.js";
import type { RateLimitFamilies } from "../policies/rate-limit-headers.js";
import type { BodyStream, ResponseHeaders } from "../transport/transport.js";
import type { HeldCredential } from "./auth-choice.js";
import type { CallEmit } from "./events.js";
import type { OperationCall } from "./client-core.js";
import type { MigrationResult } from "../versions/migrations.js";

/** The `migration` event of a rewritten call, before the call's own fields are added. */
export type MigrationEvent = Extract<Parameters<CallEmit>[0], { readonly type: "migration" }>;

/** Header sync: the provider's rate-limit headers read on every answer and kept per request in flight. */
export interface HeaderSync {
  /** The spec's header families, the "requests" family first. */
  readonly families: (rateLimits: RateLimitsDefinition) => RateLimitFamilies;
  /** What a request costs per weighted family. */
  readonly readCosts: (families: RateLimitFamilies, body: unknown) => Readonly<Record<string, number>> | undefined;
  /** What the rate-limit policy does with each answer, for the spec's families (header-sync.ts `answerSync`). */
  readonly answered: (families: RateLimitFamilies) => AnswerSync;
  /** What a family's counts allow a bucket, per request in flight (`learned`: a bucket learned from headers alone, which probes first). */
  readonly allowance: (family: FamilyPolicy, learned: boolean) => ProviderAllowance;
  /** The limiter's buckets as the families' counts move them, learned ones included (RateLimiterOptions.familySync). */
  readonly familySync: NonNullable<RateLimiterOptions["familySync"]>;
}

/**
 * The buckets brought up to date by an answer: what the request actually cost (when a family says where
 * the answer reports it), then the provider's counts; returns the counts read.
 */
export type AnswerSync = (
  limiter: RateLimiter,
  permits: readonly Permit[],
  response: { readonly headers: ResponseHeaders; readonly body: string },
  now: number,
  operation: string | undefined,
) => readonly ProviderCount[];

/** A version the spec marks deprecated or near its sunset: what the client's `versionDeprecated` event says. */
export interface DeprecatedVersion {
  readonly deprecated: string | undefined;
  readonly sunset: string | undefined;
  readonly message: string;
}

/** What the parts add to the client core; each exported part fills some of these. */
export interface ClientParts {
  readonly headerSync?: HeaderSync;
  /** Values of the spec's URL variables, checked (../client/variables.ts). */
  readonly variables?: (
    provider: string,
    definitions: Readonly<Record<string, VariableDefinition>>,
    given: Readonly<Record<string, string>> | undefined,
  ) => Readonly<Record<string, string>>;
  /** An answer fetched at another version, migrated to the client's (../versions/migrations.ts). */
  readonly migratePayload?: (versions: VersionsDefinition, payload: unknown, from: string, to?: string) => MigrationResult;
  /**
   * A call written at the pinned version, rewritten for the version it is sent at, and the `migration`
   * event that says so; undefined when no migration changes it (../versions/migrations.ts).
   */
  readonly rewriteCall?: (
    definition: ProviderDefinition,
    operation: string,
    call: OperationCall,
    to: string,
  ) => { readonly call: OperationCall; readonly event: MigrationEvent } | undefined;
  /**
   * A multipart or raw request body (./bodies.ts): sets its content type and returns the bytes or text to
   * send (multipart: once the platform has serialized the form).
   */
  readonly encodeBody?: (
    operation: OperationDefinition,
    body: unknown,
    headers: Record<string, string>,
    arrays: ArrayEncoding,
  ) => string | Uint8Array | Promise<Uint8Array>;
  /**
   * Streamed answers (./stream.ts): what a streamed call accepts, which answers are the stream, a stream
   * of an answer read whole, and the context its EventStream reads with (ClientCore.streamContext).
   */
  readonly streams?: {
    readonly accept: (stream: StreamDefinition) => string;
    readonly isStream: (status: number, headers: ResponseHeaders) => boolean;
    readonly text: (text: string) => BodyStream;
    readonly context: MakeStreamContext;
  };
  /** The credential of an operation that names its auth modes (./auth-choice.ts). */
  readonly credentialFor?: (held: readonly HeldCredential[], operation: OperationDefinition, title: string) => HeldCredential | undefined;
  /** A URL the provider handed out (a next page's), resolved against the base URL and kept on its origin (./provider-url.ts). */
  readonly providerUrl?: (
    provider: string,
    baseUrl: string,
    given: string,
    credentialQuery: Readonly<Record<string, string>>,
    environmentBaseUrl?: string,
  ) => string;
  /**
   * Once per client (`checked`, the client's own set) and version: warns once per process about a
   * deprecated version and emits the call's `versionDeprecated` event (../versions/versions.ts).
   */
  readonly checkVersionLifecycle?: (
    definition: ProviderDefinition,
    version: string,
    clock: Clock,
    checked: Set<string>,
    emit: CallEmit | undefined,
  ) => void;
}

type ArrayEncoding = ProviderDefinition["encoding"]["form"];

/**
 * The contract's exported parts that follow from the definition, by name: the hook each brings, and
 * whether a definition needs it (checked when a core is made).
 */
const NEEDS = {
  rateLimitHeaderSync: [
    "headerSync",
    (d: ProviderDefinition) => d.rateLimits.headers !== undefined || (d.rateLimits.families ?? []).length > 0,
  ],
  urlVariables: ["variables", (d: ProviderDefinition) => Object.keys(d.variables).length > 0],
  versionMigrations: ["migratePayload", (d: ProviderDefinition) => (d.versions?.migrations ?? []).length > 0],
  versionRequestMigrations: [
    "rewriteCall",
    (d: ProviderDefinition) => (d.versions?.migrations ?? []).some((m) => (m.requests ?? []).length > 0),
  ],
  deprecatedVersionWarnings: [
    "checkVersionLifecycle",
    (d: ProviderDefinition) => Object.values(d.versions?.supported ?? {}).some((v) => v.deprecated !== undefined || v.sunset !== undefined),
  ],
} as const satisfies Record<string, readonly [keyof ClientParts, (d: ProviderDefinition) => boolean]>;

/**
 * The parts that follow from the operations: the generator passes them when an operation needs one, and
 * a core refuses to call such an operation without it (so a core is not made to carry these checks).
 */
const OPERATION_NEEDS = {
  multipartAndRawBodies: (o: OperationDefinition) => o.bodyEncoding === "multipart" || o.bodyEncoding === "raw",
  streamedAnswers: (o: OperationDefinition) => o.stream !== undefined,
  operationAuthModes: (o: OperationDefinition) => o.auth !== undefined,
  providerUrls: (o: OperationDefinition) => o.pagination?.style === "linkHeader" || o.pagination?.style === "nextUrl",
} as const;

export type ClientPartName = keyof typeof NEEDS | keyof typeof OPERATION_NEEDS;

/**
 * The names of the contract's parts a definition and its operations need, in a fixed order (what the
 * generator imports).
 */
export function clientPartsFor(definition: ProviderDefinition, operations: readonly OperationDefinition[] = []): ClientPartName[] {
  return [
    ...(Object.keys(NEEDS) as (keyof typeof NEEDS)[]).filter((name) => NEEDS[name][1](definition)),
    ...(Object.keys(OPERATION_NEEDS) as (keyof typeof OPERATION_NEEDS)[]).filter((name) => operations.some(OPERATION_NEEDS[name])),
  ];
}

/** The error of a client used without a part it needs. */
export function missingPart(definition: ProviderDefinition, name: ClientPartName): ConfigurationError {
  return new ConfigurationError(`a ${definition.title} client needs the ${name} part (pass it to the ClientCore)`);
}

/** The parts merged into one, after checking the definition's needs are all met. */
export function mergeClientParts(definition: ProviderDefinition, parts: readonly ClientParts[]): ClientParts {
  const merged: ClientParts = parts.length === 1 ? parts[0]! : (Object.assign({}, ...parts) as ClientParts);
  for (const [name, [hook, needs]] of Object.entries(NEEDS))
    if (needs(definition) && merged[hook] === undefined) throw missingPart(definition, name as ClientPartName);
  return merged;
}
