/**
 * The verifier in parts, so an application ships only what its provider's scheme uses. verify.ts carries
 * out what every scheme does (headers, the HMAC over the signed content, unix-seconds timestamps, JSON);
 * each part below adds one feature a spec may declare, and the generated `verify<Provider>Webhook` passes exactly the
 * parts its spec needs (`webhookPartsFor`). A definition verified without a part it needs is refused with a
 * ConfigurationError, never verified with that feature skipped.
 */
import type { Buffer } from "#webhook-platform";
import { ConfigurationError } from "../errors/errors.js";
import type { WebhookHandshakeDefinition, WebhooksDefinition, WebhookSignatureDefinition } from "../definition.js";
import type { FormParams } from "./content.js";
import type { WebhookDelivery, WebhookVerifyOptions } from "./delivery.js";
import { webhookPlan } from "./plan.js";
import type { WebhookHandshakeAnswer } from "./webhook-event.js";

type Headers = WebhookDelivery["headers"];
type Hash = "sha1" | "sha256" | "sha512";

/** What the parts add to the verifier; each exported part fills some of these. */
export interface WebhookVerifierParts {
  /**
   * Answers a declared challenge (handshake.ts). After verification: the scheme, the caller's secrets and
   * which of them the delivery matched, for an answer that carries an HMAC.
   */
  readonly handshake?: (
    provider: string,
    handshakes: readonly WebhookHandshakeDefinition[],
    authenticated: boolean,
    delivery: WebhookDelivery,
    payload: unknown,
    sig?: WebhookSignatureDefinition,
    secrets?: string | readonly string[],
    matched?: number,
  ) => WebhookHandshakeAnswer | undefined;
  /** Ed25519 and ECDSA P-256 signatures (public-keys.ts). */
  readonly publicKeys?: {
    /**
     * Whether one of the signatures (undefined: not plausible) signs the content parts filled with `values`
     * under the caller's public key; a missing or unusable key is a ConfigurationError.
     */
    readonly verify: (
      sig: WebhookSignatureDefinition,
      content: readonly (number | string)[],
      values: readonly (string | Buffer | undefined)[],
      signatures: readonly (Buffer | undefined)[],
      publicKey: string | undefined,
    ) => boolean;
    readonly plausible: (algorithm: WebhookSignatureDefinition["algorithm"], signature: Buffer) => boolean;
  };
  /** The HMAC hash a header names (Twilio's SharedKey variant; algorithm-header.ts). */
  readonly algorithmHeader?: (
    provider: string,
    sig: WebhookSignatureDefinition,
    headers: Headers,
    fallback: Hash | undefined,
  ) => Hash | undefined;
  /**
   * Bodies not read as JSON (verifier-parts.ts): form-encoded ones parsed, and signed as sorted parameters;
   * text (`payload.encoding: text`) decoded as UTF-8.
   */
  readonly forms?: {
    readonly parse: (body: string | Buffer) => FormParams;
    readonly sorted: (params: FormParams) => string;
    /**
     * The payload of a body whose encoding is not `json`: form parameters (`form` when they were already
     * read for the signature; none for a body whose digest the URL carries), text, or undefined for a body
     * `auto` reads as JSON.
     */
    readonly payload: (
      provider: string,
      encoding: WebhooksDefinition["payload"]["encoding"],
      headers: Headers,
      body: string | Buffer,
      form: FormParams | undefined,
      bodyHashed: boolean,
    ) => unknown;
  };
  /** The URL with or without its default port (forms.ts). */
  readonly otherPortUrl?: (url: string) => string | undefined;
  /** A body digest carried in a URL parameter (Twilio's JSON variant; forms.ts). */
  readonly bodyHash?: {
    readonly claimed: (url: string, name: string) => string | undefined;
    readonly check: (
      provider: string,
      bodyHash: NonNullable<WebhookSignatureDefinition["bodyHash"]>,
      claimed: string,
      body: string | Buffer,
    ) => void;
  };
  /** A JSON Web Token in the signature header (token-schemes.ts); returns the timestamp claim. */
  readonly jwt?: (
    provider: string,
    sig: WebhookSignatureDefinition,
    headers: Headers,
    body: string | Buffer,
    options: WebhookVerifyOptions,
  ) => number | undefined;
  /** A shared secret repeated in the parsed body (token-schemes.ts). */
  readonly sharedSecret?: (
    provider: string,
    sig: WebhookSignatureDefinition,
    headers: Headers,
    payload: unknown,
    options: WebhookVerifyOptions,
  ) => void;
  /** Timestamps in milliseconds or RFC 3339 (timestamp-formats.ts); unix seconds need no part. */
  readonly timestamp?: (format: NonNullable<WebhookSignatureDefinition["timestampFormat"]>, text: string) => number;
  /**
   * Signed values in the JSON body (signatureAt, timestampAt, {body} content parts; verifier-parts.ts): the
   * body parsed before the signature is checked, and what the scheme reads from it.
   */
  readonly bodyValues?: (provider: string, sig: WebhookSignatureDefinition, body: string | Buffer) => BodyValues;
}

/** What a scheme reads from the JSON body before its signature is checked (each value as text). */
export interface BodyValues {
  readonly payload: unknown;
  /** signatureAt's value, and where it is for a rejection's message. */
  readonly signature: string | undefined;
  readonly where: string | undefined;
  /** timestampAt's value. */
  readonly timestamp: string | undefined;
  /** The {body} content parts' values, in content order. */
  readonly values: readonly string[];
}

/** The contract's exported parts, by name, and whether a definition needs each. */
const NEEDS = {
  webhookHandshakes: (d: WebhooksDefinition) => d.handshakes !== undefined && d.handshakes.length > 0,
  webhookPublicKeys: (d: WebhooksDefinition) => d.signature.algorithm === "ed25519" || d.signature.algorithm === "ecdsa-p256-sha256",
  webhookAlgorithmHeader: (d: WebhooksDefinition) => d.signature.algorithmFrom !== undefined,
  webhookForms: (d: WebhooksDefinition) =>
    d.payload.encoding !== "json" ||
    d.signature.content.includes("sortedFormParams") ||
    d.signature.bodyHash !== undefined ||
    d.signature.urlDefaultPort === "either",
  webhookTimestampFormats: (d: WebhooksDefinition) => d.signature.timestampFormat !== undefined,
  webhookJwt: (d: WebhooksDefinition) => d.signature.algorithm === "jwt-hs256",
  webhookSharedSecret: (d: WebhooksDefinition) => d.signature.algorithm === "shared-secret",
  webhookBodyValues: (d: WebhooksDefinition) => webhookPlan(d).parseFirst,
} as const;

export type WebhookPartName = keyof typeof NEEDS;

/** The names of the contract's parts a definition needs, in a fixed order (what the generator imports). */
export function webhookPartsFor(definition: WebhooksDefinition): WebhookPartName[] {
  return (Object.keys(NEEDS) as WebhookPartName[]).filter((name) => NEEDS[name](definition));
}

/** The hooks each part must bring (checked when the parts are merged). */
const HOOKS: Readonly<Record<WebhookPartName, readonly (keyof WebhookVerifierParts)[]>> = {
  webhookHandshakes: ["handshake"],
  webhookPublicKeys: ["publicKeys"],
  webhookAlgorithmHeader: ["algorithmHeader"],
  webhookForms: ["forms", "otherPortUrl", "bodyHash"],
  webhookTimestampFormats: ["timestamp"],
  webhookJwt: ["jwt"],
  webhookSharedSecret: ["sharedSecret"],
  webhookBodyValues: ["bodyValues"],
};

/** Every hook, absent: the merged parts start from it, so that they have one shape whatever the provider (plan.ts says why). */
const NO_HOOKS = Object.fromEntries(Object.values(HOOKS).flatMap((hooks) => hooks.map((hook) => [hook, undefined])));

/** The parts merged into one, after checking the definition's needs are all met. */
export function mergeParts(provider: string, definition: WebhooksDefinition, parts: readonly WebhookVerifierParts[]): WebhookVerifierParts {
  const merged: WebhookVerifierParts = Object.assign({ ...NO_HOOKS }, ...parts) as WebhookVerifierParts;
  for (const name of webhookPartsFor(definition))
    if (HOOKS[name].some((hook) => merged[hook] === undefined))
      throw new ConfigurationError(`verifying ${provider}'s webhooks needs the ${name} part (pass it to verifyWebhookWith)`);
  return merged;
}
