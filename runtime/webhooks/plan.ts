/**
 * What the verifier's hot path needs of a webhooks definition, compiled once per definition. Definitions
 * are object literals whose shapes differ by provider (optional header names, three header formats,
 * literal parts), so reading those parts on every delivery makes V8's property loads megamorphic as soon as
 * one process verifies several providers. The plan holds them in one shape, with the work done up front:
 * header sets with every name present, content parts as indexes and text, the header tag to look for.
 * verify.ts fills the values in PARTS order: body, timestamp, id, url, sorted form parameters, method.
 */
import type { WebhooksDefinition, WebhookSignatureDefinition } from "../definition.js";
import type { WebhookVerifierParts } from "./parts.js";

/**
 * A filled-in content part: its index in the values feedContent fills from (a string part is literal text).
 * verify.ts fills them in this order.
 */
const PARTS = { body: 0, timestamp: 1, id: 2, url: 3, sortedFormParams: 4, method: 5 } as const;

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

export interface WebhookPlan {
  readonly definition: WebhooksDefinition;
  readonly sig: WebhookSignatureDefinition;
  /** 0: a signature over content parts; 1: a JWT in a header (jwt-hs256); 2: a secret in the body (shared-secret). */
  readonly scheme: 0 | 1 | 2;
  /** The node:crypto hash of the HMAC; undefined for Ed25519 and ECDSA. */
  readonly hash: "sha1" | "sha256" | "sha512" | undefined;
  readonly headers: PlanHeaders;
  /** single: the prefix; keyValue: the signature's key; versionedList: the version and its comma. */
  readonly tag: string;
  readonly content: readonly (number | string)[];
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

function compile(definition: WebhooksDefinition): WebhookPlan {
  const sig = definition.signature;
  const format = sig.format;
  const sets = [sig, ...sig.alternativeHeaders];
  const content = sig.content.map((part) => (typeof part === "object" ? part.literal : PARTS[part]));
  return {
    definition,
    sig,
    scheme: sig.algorithm === "jwt-hs256" ? 1 : sig.algorithm === "shared-secret" ? 2 : 0,
    hash: hmacHash(sig.algorithm),
    headers: {
      signature: sets.map((set) => set.header),
      timestamp: sets.flatMap((set) => set.timestampHeader ?? []),
      id: sets.flatMap((set) => set.idHeader ?? []),
    },
    tag: format.style === "single" ? format.prefix : format.style === "keyValue" ? format.signatureKey : `${format.version},`,
    content,
    signsUrl: content.includes(PARTS.url),
    signsForm: content.includes(PARTS.sortedFormParams),
    signsMethod: content.includes(PARTS.method),
    parts: undefined,
  };
}
