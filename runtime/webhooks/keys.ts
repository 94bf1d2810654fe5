/** Turns the caller's secrets and public keys into key material, and signatures into bytes. */
import { createPublicKey, type KeyObject } from "node:crypto";
import type { WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError } from "../errors.js";

type Encoding = WebhookSignatureDefinition["encoding"];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const HEX = /^[0-9a-fA-F]*$/;

/** The bytes of one encoded signature; undefined when it is not valid in that encoding. */
export function decodeSignature(text: string, encoding: Encoding): Buffer | undefined {
  if (encoding === "hex") return text.length % 2 === 0 && HEX.test(text) ? Buffer.from(text, "hex") : undefined;
  if (encoding === "base64") return text.length % 4 === 0 && BASE64.test(text) ? Buffer.from(text, "base64") : undefined;
  return BASE64URL.test(text) && text.length % 4 !== 1 ? Buffer.from(text, "base64url") : undefined;
}

export function encodeSignature(bytes: Buffer, encoding: Encoding): string {
  return bytes.toString(encoding);
}

/** The HMAC key for one secret. Never puts the secret in a message. */
export function hmacKey(secret: string, encoding: WebhookSignatureDefinition["secretEncoding"]): string | Buffer {
  if (secret.length === 0) throw new ConfigurationError("webhook secret is empty");
  if (encoding === "raw") return secret;
  const text = encoding === "whsec-base64" && secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  const key = decodeSignature(text, "base64");
  if (key === undefined || key.length === 0) throw new ConfigurationError(`webhook secret is not ${encoding === "base64" ? "base64" : "whsec_<base64>"}`);
  return key;
}

const publicKeys = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE_SIZE = 64;

/** A public key from PEM or from base64 of the DER SubjectPublicKeyInfo; parsed once, then cached. */
export function publicKey(text: string, encoding: WebhookSignatureDefinition["secretEncoding"]): KeyObject {
  const cached = publicKeys.get(text);
  if (cached) return cached;
  let key: KeyObject;
  try {
    key = text.includes("-----BEGIN")
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ""), "base64"), format: "der", type: "spki" });
  } catch {
    throw new ConfigurationError(`webhook public key is not ${encoding === "pem-public-key" ? "a PEM public key" : "base64 DER SPKI or PEM"}`);
  }
  if (publicKeys.size >= PUBLIC_KEY_CACHE_SIZE) publicKeys.delete(publicKeys.keys().next().value!);
  publicKeys.set(text, key);
  return key;
}
