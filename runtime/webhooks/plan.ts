/**
 * What the verifier's hot path needs of a webhooks definition, compiled once per definition. Definitions
 * are object literals whose shapes differ by provider (optional fields, three header formats, literal
 * parts, locations of three kinds), so reading them on every delivery makes V8's property loads
 * megamorphic as soon as one process verifies several providers: measured, a process that had verified
 * seven other schemes verified Svix's 6 to 7% slower at 2 KB than a process that verified Svix alone. The
 * plan holds everything verify.ts reads per delivery in one shape, every field present, with the work done
 * up front: header sets with every name present, content parts as indexes and text, the header tag to
 * look for, value locations in one shape. verify.ts reads the definition itself only on rare paths
 * (handshakes, the parts' own hooks). It fills the values in PARTS order: body, timestamp, id, url,
 * sorted form parameters, method, then the body parts' values.
 */
import type { ValueLocation, WebhookHandshakeDefinition, WebhooksDefinition, WebhookSignatureDefinition } from "../definition.js";
import type { WebhookVerifierParts } from "./parts.js";
import type { WebhookAcknowledgement } from "./webhook-event.js";

/**
 * A filled-in content part: its index in the values feedContent fills from (a string part is literal text).
 * verify.ts fills them in this order.
 */
const PARTS = { body: 0, timestamp: 1, id: 2, url: 3, sortedFormParams: 4, method: 5 } as const;
/** The index of the first body part's value ({body: $.path}); the others follow in content order. */
export const BODY_PARTS_FROM = 6;

/**
 * Where the signature, its timestamp and its id arrive: for each, the header names of the scheme's header
 * sets in order (first set first). Each value is read from the first of its headers the delivery carries,
 * on its own, as svix's library reads `svix-*` before `webhook-*`; empty when the scheme has no such value.
 */
export interface PlanHeaders {
  readonly signature: readonly string[];
  readonly timestamp: readonly string[];
  readonly id: readonly string[];
}

/** A value location (definition.ts) in one shape: exactly one of header and path is set. */
export interface PlanLocation {
  readonly header: string | undefined;
  /** A JSON path into the body, or `[name]` for a form field. */
  readonly path: readonly (string | number)[] | undefined;
  readonly map: Readonly<Record<string, string>> | undefined;
}

export interface WebhookPlan {
  readonly definition: WebhooksDefinition;
  readonly sig: WebhookSignatureDefinition;
  readonly maxBodySize: number;
  readonly handshakes: readonly WebhookHandshakeDefinition[] | undefined;
  readonly payloadEncoding: WebhooksDefinition["payload"]["encoding"];
  readonly allowEmpty: boolean;
  /** Where the event type, id, order key and API version are; empty when the definition says nothing. */
  readonly eventType: readonly PlanLocation[];
  readonly eventId: readonly PlanLocation[];
  readonly orderKey: readonly PlanLocation[] | undefined;
  readonly apiVersion: readonly PlanLocation[] | undefined;
  /** The statuses a verified delivery is answered with, when either is not 200 (one object per definition). */
  readonly acknowledge: WebhookAcknowledgement | undefined;
  /** The signature's parts (WebhookSignatureDefinition), each present. */
  readonly encoding: WebhookSignatureDefinition["encoding"];
  readonly secretEncoding: WebhookSignatureDefinition["secretEncoding"];
  readonly algorithmFrom: boolean;
  readonly timestampFormat: WebhookSignatureDefinition["timestampFormat"];
  readonly bodyHash: WebhookSignatureDefinition["bodyHash"];
  readonly eitherPort: boolean;
  readonly toleranceMs: number | undefined;
  readonly toleranceBoth: boolean;
  /** The header format: 0 single, 1 keyValue, 2 versionedList; with keyValue's separator and timestamp key. */
  readonly style: 0 | 1 | 2;
  readonly separator: string;
  readonly timestampKey: string | undefined;
  /** 0: a signature over content parts; 1: a JWT in a header (jwt-hs256); shared-secret: 2 a secret in the body, 3 in a header. */
  readonly scheme: 0 | 1 | 2 | 3;
  /** The node:crypto hash of the HMAC; undefined for Ed25519 and ECDSA. */
  readonly hash: "sha1" | "sha256" | "sha512" | undefined;
  readonly headers: PlanHeaders;
  /** single: the prefix; keyValue: the signature's key; versionedList: the version and its comma. */
  readonly tag: string;
  readonly content: readonly (number | string)[];
  /**
   * The body is parsed before the signature is checked: the signature, the timestamp or a signed value
   * ({body: $.path} parts, whose values follow the PARTS values in content order) is in it.
   */
  readonly parseFirst: boolean;
  readonly signsUrl: boolean;
  readonly signsForm: boolean;
  readonly signsMethod: boolean;
  /** The verifier parts, merged and checked against the definition on first use (verify.ts). */
  parts: WebhookVerifierParts | undefined;
}

/** The node:crypto hash of an HMAC algorithm ("hmac-sha256" -> "sha256"); undefined for the others. */
export const hmacHash = (algorithm: WebhookSignatureDefinition["algorithm"]): WebhookPlan["hash"] =>
  algorithm.startsWith("hmac-") ? (algorithm.slice(5) as WebhookPlan["hash"]) : undefined;

const plans = new WeakMap<WebhooksDefinition, WebhookPlan>();

/** The plan of a definition, compiled on first use (definitions are constants: one per provider). */
export function webhookPlan(definition: WebhooksDefinition): WebhookPlan {
  let plan = plans.get(definition);
  if (plan === undefined) plans.set(definition, (plan = compile(definition)));
  return plan;
}

function location(at: ValueLocation): PlanLocation {
  const { header, body, form, map } = at as {
    header?: string;
    body?: readonly (string | number)[];
    form?: string;
    map?: Record<string, string>;
  };
  return { header, path: header !== undefined ? undefined : (body ?? [form!]), map };
}

function acknowledgement(response: WebhooksDefinition["response"] | undefined): WebhookAcknowledgement | undefined {
  const handled = response?.status ?? 200;
  const queued = response?.queuedStatus ?? handled;
  return handled === 200 && queued === 200 ? undefined : Object.freeze({ handled, queued });
}

function compile(definition: WebhooksDefinition): WebhookPlan {
  const sig = definition.signature;
  const format = sig.format;
  const sets = [sig, ...sig.alternativeHeaders];
  let bodyParts = 0;
  const content = sig.content.map((part) =>
    typeof part !== "object" ? PARTS[part] : "literal" in part ? part.literal : BODY_PARTS_FROM + bodyParts++,
  );
  return {
    definition,
    sig,
    maxBodySize: definition.maxBodySize,
    handshakes: definition.handshakes !== undefined && definition.handshakes.length > 0 ? definition.handshakes : undefined,
    payloadEncoding: definition.payload.encoding,
    allowEmpty: definition.payload.allowEmpty,
    eventType: (definition.eventType ?? []).map(location),
    eventId: (definition.eventId ?? []).map(location),
    orderKey: definition.orderKey?.map(location),
    apiVersion: definition.apiVersion?.map(location),
    acknowledge: acknowledgement(definition.response),
    encoding: sig.encoding,
    secretEncoding: sig.secretEncoding,
    algorithmFrom: sig.algorithmFrom !== undefined,
    timestampFormat: sig.timestampFormat,
    bodyHash: sig.bodyHash,
    eitherPort: sig.urlDefaultPort === "either",
    toleranceMs: sig.toleranceMs,
    toleranceBoth: sig.toleranceDirection === "both",
    style: format.style === "single" ? 0 : format.style === "keyValue" ? 1 : 2,
    separator: format.style === "keyValue" ? format.separator : "",
    timestampKey: format.style === "keyValue" ? format.timestampKey : undefined,
    scheme: sig.algorithm === "jwt-hs256" ? 1 : sig.algorithm !== "shared-secret" ? 0 : "header" in sig.sharedSecret! ? 3 : 2,
    hash: hmacHash(sig.algorithm),
    headers: {
      signature: sets.map((set) => set.header),
      timestamp: sets.flatMap((set) => set.timestampHeader ?? []),
      id: sets.flatMap((set) => set.idHeader ?? []),
    },
    tag: format.style === "single" ? format.prefix : format.style === "keyValue" ? format.signatureKey : `${format.version},`,
    content,
    parseFirst: bodyParts > 0 || sig.timestampAt !== undefined || sig.signatureAt !== undefined,
    signsUrl: content.includes(PARTS.url),
    signsForm: content.includes(PARTS.sortedFormParams),
    signsMethod: content.includes(PARTS.method),
    parts: undefined,
  };
}
