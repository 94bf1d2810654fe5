/** Turns the caller's secrets and public keys into key material, and signatures into bytes. */
import { Buffer, createPublicKey, type JsonWebKey, type KeyObject } from "#webhook-platform";
import type { WebhookSignatureDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";

type Encoding = WebhookSignatureDefinition["encoding"];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const HEX = /^[0-9a-f]*$/;

/**
 * The bytes of one encoded signature; undefined unless it is the canonical encoding of those bytes
 * (lower-case hex as every provider sends it; base64 whose unused trailing bits are zero), so that one
 * signature has exactly one accepted spelling. With `into`, only a signature of exactly its length decodes,
 * written there rather than into a new buffer.
 */
export function decodeSignature(text: string, encoding: Encoding, into?: Buffer): Buffer | undefined {
  let length: number;
  if (encoding === "hex") {
    // Even length and lower-case digits only: already the canonical spelling.
    if (text.length % 2 !== 0 || !HEX.test(text)) return undefined;
    length = text.length / 2;
  } else if (encoding === "base64") {
    if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
    const end = text.length - 1;
    const padding = text.charCodeAt(end) !== 61 ? 0 : text.charCodeAt(end - 1) !== 61 ? 1 : 2;
    // The last character before the padding carries no stray bits.
    if (padding > 0 && (base64Digit(text.charCodeAt(end - padding)) & (padding === 1 ? 0b11 : 0b1111)) !== 0) return undefined;
    length = (text.length / 4) * 3 - padding;
  } else {
    if (!BASE64URL.test(text)) return undefined;
    const unpadded = text.replace(/=+$/, "");
    const bytes = Buffer.from(unpadded, "base64url");
    return bytes.toString("base64url") === unpadded && (into === undefined || bytes.length === into.length) ? bytes : undefined;
  }
  if (into === undefined) return Buffer.from(text, encoding);
  return length === into.length && into.write(text, encoding) === length ? into : undefined;
}

export function encodeSignature(bytes: Buffer, encoding: Encoding): string {
  return bytes.toString(encoding);
}

/** The value of a base64 digit from its char code (A-Z 0-25, a-z 26-51, 0-9 52-61, + 62, / 63); BASE64 has vetted it. */
function base64Digit(c: number): number {
  return c > 96 ? c - 71 : c > 64 ? c - 65 : c > 47 ? c + 4 : c === 43 ? 62 : 63;
}

/** Decoded secrets by encoding, then by secret (two levels, so a lookup builds no string). */
const decodedSecrets = { raw: new Map<string, Buffer>(), base64: new Map<string, Buffer>(), "whsec-base64": new Map<string, Buffer>() };
const SECRET_CACHE_SIZE = 64;

/**
 * The HMAC key for one secret as bytes (a raw secret's UTF-8, a base64 one decoded), made once, then cached:
 * node:crypto would otherwise encode a string key again for every delivery. Never puts the secret in a message.
 */
export function hmacKey(secret: string, encoding: WebhookSignatureDefinition["secretEncoding"]): Buffer {
  if (secret.length === 0) throw new ConfigurationError("webhook secret is empty");
  if (encoding !== "raw" && encoding !== "base64" && encoding !== "whsec-base64")
    throw new ConfigurationError(`secret encoding ${encoding} is for public keys, not HMAC secrets`);
  const cache = decodedSecrets[encoding];
  const cached = cache.get(secret);
  if (cached) return cached;
  const text = encoding === "whsec-base64" && secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  // Decoded as leniently as standardwebhooks and svix do: any padding, any trailing bits.
  const key = encoding === "raw" ? Buffer.from(secret) : BASE64.test(text) ? Buffer.from(text, "base64") : undefined;
  if (key === undefined || key.length === 0)
    throw new ConfigurationError(`webhook secret is not ${encoding === "base64" ? "base64" : "whsec_<base64>"}`);
  if (cache.size >= SECRET_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(secret, key);
  return key;
}

const publicKeys = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE_SIZE = 64;

const KEY_FORMS: Readonly<Record<string, string>> = {
  "pem-public-key": "a PEM public key",
  "hex-public-key": "a raw Ed25519 public key as 64 hex digits, or PEM",
  jwk: "a JSON Web Key (public), or PEM",
};

/**
 * A public key from PEM, base64 of the DER SubjectPublicKeyInfo, a raw Ed25519 key as 64 hex digits
 * (`hex-public-key`) or a JWK (`jwk`), as the spec's secretEncoding says; parsed once, then cached.
 */
export function publicKey(text: string, encoding: WebhookSignatureDefinition["secretEncoding"]): KeyObject {
  const cached = publicKeys.get(text);
  if (cached) return cached;
  let key: KeyObject;
  try {
    const trimmed = text.trim();
    if (text.includes("-----BEGIN")) key = createPublicKey(text);
    else if (encoding === "hex-public-key") {
      if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) throw new Error("not 64 hex digits");
      key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(trimmed, "hex").toString("base64url") }, format: "jwk" });
    } else if (encoding === "jwk") {
      const jwk = JSON.parse(trimmed) as Record<string, unknown>;
      // A private JWK is refused: a verifier never needs one, and holding it is a leak.
      if (typeof jwk !== "object" || jwk === null || "d" in jwk) throw new Error("not a public JWK");
      key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    } else key = createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ""), "base64"), format: "der", type: "spki" });
  } catch (error) {
    if (error instanceof ConfigurationError) throw error; // the platform has no public-key crypto (platform/web.ts)
    throw new ConfigurationError(`webhook public key is not ${KEY_FORMS[encoding] ?? "base64 DER SPKI or PEM"}`);
  }
  if (publicKeys.size >= PUBLIC_KEY_CACHE_SIZE) publicKeys.delete(publicKeys.keys().next().value!);
  publicKeys.set(text, key);
  return key;
}
