/** The public-key part of the verifier (parts.ts): Ed25519 and ECDSA P-256 signatures. */
import { verify as verifyAsymmetric, type Buffer, type KeyObject } from "#webhook-platform";
import type { WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { contentBytes } from "./content.js";
import { publicKey } from "./keys.js";
import type { WebhookVerifierParts } from "./parts.js";

function matches(algorithm: WebhookSignatureDefinition["algorithm"], data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verifyAsymmetric(algorithm === "ed25519" ? null : "sha256", data, { key, dsaEncoding: "der" }, signature) === true;
  } catch {
    return false;
  }
}

/** A signature of the right shape: Ed25519's 64 bytes, or a DER SEQUENCE. */
function plausible(algorithm: WebhookSignatureDefinition["algorithm"], signature: Buffer): boolean {
  if (algorithm === "ed25519") return signature.length === 64;
  return signature.length >= 8 && signature.length <= 72 && signature[0] === 0x30 && signature[1] === signature.length - 2;
}

function key(sig: WebhookSignatureDefinition, text: string | undefined): KeyObject {
  if (text === undefined || text.length === 0) throw new ConfigurationError("verifying this provider's webhooks needs options.publicKey");
  const key = publicKey(text, sig.secretEncoding);
  const ok =
    sig.algorithm === "ed25519"
      ? key.asymmetricKeyType === "ed25519"
      : key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1";
  if (!ok) throw new ConfigurationError(`options.publicKey is not ${sig.algorithm === "ed25519" ? "an Ed25519" : "a P-256"} public key`);
  return key;
}

function verify(
  sig: WebhookSignatureDefinition,
  content: readonly (number | string)[],
  values: readonly (string | Buffer | undefined)[],
  signatures: readonly (Buffer | undefined)[],
  text: string | undefined,
): boolean {
  const publicKey = key(sig, text);
  const data = contentBytes(content, values);
  for (const signature of signatures) if (signature !== undefined && matches(sig.algorithm, data, publicKey, signature)) return true;
  return false;
}

/** Pass to verifyWebhookWith for a scheme signed with Ed25519 or ECDSA P-256. */
export const webhookPublicKeys: WebhookVerifierParts = { publicKeys: { verify, plausible } };
