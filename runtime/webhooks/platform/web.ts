/**
 * The webhook engine's platform where there is no node:* (Cloudflare Workers without nodejs_compat,
 * browsers, other edge runtimes), chosen through the package's `#webhook-platform` import by a bundler's
 * "workerd", "worker" or "browser" condition. It gives node.ts's names the subset of behaviour the engine
 * uses, on Web APIs: a Uint8Array with Buffer's encodings (utf8, hex, base64, base64url), and synchronous
 * SHA-1/256/512 and HMAC from @noble/hashes (audited, dependency-free), so that the engine stays one
 * synchronous function on every platform (Web Crypto's digests are asynchronous only). Ed25519 and P-256
 * signatures need node:crypto: here they fail with a ConfigurationError that says so (a bundle built for
 * these conditions uses this module even where node:* exists, e.g. Workers with nodejs_compat).
 *
 * The engine is compiled against node.ts's types; each name here is cast to the same type, and the
 * platform tests run the engine on both modules against the same vectors.
 */
import type { Buffer as NodeBuffer } from "node:buffer";
import type * as NodeCrypto from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { ConfigurationError } from "../../errors/errors.js";

export type { JsonWebKey, KeyObject } from "node:crypto";

type Encoding = "utf8" | "utf-8" | "hex" | "base64" | "base64url" | "latin1" | "binary";

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ALPHABET_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Char code -> 6-bit value for both base64 alphabets (as Node decodes either), -1 for others. */
const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) DIGITS[ALPHABET.charCodeAt(i)] = DIGITS[ALPHABET_URL.charCodeAt(i)] = i;

function encodeText(text: string, encoding: Encoding = "utf8"): Uint8Array {
  switch (encoding) {
    case "hex": {
      // As Node: pairs of hex digits up to the first that is not one.
      const out = new Uint8Array(text.length >>> 1);
      let n = 0;
      for (; n < out.length; n++) {
        const pair = text.slice(2 * n, 2 * n + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(pair)) break;
        out[n] = Number.parseInt(pair, 16);
      }
      return out.subarray(0, n);
    }
    case "base64":
    case "base64url": {
      // As Node: either alphabet, characters outside it skipped, stop at "=", a partial last byte dropped.
      const out = new Uint8Array(Math.ceil((text.length * 3) / 4));
      let bits = 0;
      let value = 0;
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 61) break;
        const digit = c < 128 ? DIGITS[c]! : -1;
        if (digit < 0) continue;
        value = ((value << 6) | digit) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          out[n++] = (value >>> bits) & 0xff;
        }
      }
      return out.subarray(0, n);
    }
    case "latin1":
    case "binary":
      return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff);
    default:
      return utf8Encoder.encode(text);
  }
}

function decodeBytes(bytes: Uint8Array, encoding: Encoding = "utf8"): string {
  switch (encoding) {
    case "hex":
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    case "base64":
    case "base64url": {
      const alphabet = encoding === "base64" ? ALPHABET : ALPHABET_URL;
      let text = "";
      for (let i = 0; i < bytes.length; i += 3) {
        const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
        const count = Math.min(3, bytes.length - i) + 1;
        for (let j = 0; j < 4; j++) text += j < count ? alphabet[(chunk >>> (18 - 6 * j)) & 63] : encoding === "base64" ? "=" : "";
      }
      return text;
    }
    case "latin1":
    case "binary":
      return String.fromCharCode(...bytes);
    default:
      return utf8Decoder.decode(bytes);
  }
}

/** The part of Node's Buffer the engine uses, on a Uint8Array. */
class WebBuffer extends Uint8Array {
  static override from(value: unknown, encodingOrOffset?: unknown, length?: number): WebBuffer {
    if (typeof value === "string") return WebBuffer.#of(encodeText(value, encodingOrOffset as Encoding | undefined));
    if (value instanceof ArrayBuffer) return new WebBuffer(value, (encodingOrOffset as number | undefined) ?? 0, length);
    if (ArrayBuffer.isView(value)) return WebBuffer.#of(new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice());
    return WebBuffer.#of(Uint8Array.from(value as ArrayLike<number>));
  }
  static alloc(size: number): WebBuffer {
    return new WebBuffer(size);
  }
  static concat(list: readonly Uint8Array[]): WebBuffer {
    const out = new WebBuffer(list.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of list) out.set(b, (at += b.length) - b.length);
    return out;
  }
  static byteLength(text: string | Uint8Array): number {
    return typeof text === "string" ? utf8Encoder.encode(text).length : text.byteLength;
  }
  static isBuffer(value: unknown): value is WebBuffer {
    return value instanceof WebBuffer;
  }
  static #of(bytes: Uint8Array): WebBuffer {
    return new WebBuffer(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
  override toString(encoding?: Encoding): string {
    return decodeBytes(this, encoding);
  }
  /** Writes the encoded text from offset 0 and returns the bytes written (as many as fit). */
  write(text: string, encoding?: Encoding): number {
    const bytes = encodeText(text, encoding).subarray(0, this.length);
    this.set(bytes);
    return bytes.length;
  }
}

export const Buffer = WebBuffer as unknown as typeof NodeBuffer;
export type Buffer = NodeBuffer;

/** The body as UTF-8 text (node.ts's decodeUtf8): the platform's TextDecoder. */
export const decodeUtf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes);

const HASHES = { sha1, sha256, sha512 } as const;

function hashOf(algorithm: string): (typeof HASHES)[keyof typeof HASHES] {
  const hash = (HASHES as Record<string, (typeof HASHES)[keyof typeof HASHES]>)[algorithm.toLowerCase()];
  if (hash === undefined) throw new ConfigurationError(`hash ${algorithm} is not available on this platform`);
  return hash;
}

const bytesOf = (chunk: string | Uint8Array): Uint8Array => (typeof chunk === "string" ? utf8Encoder.encode(chunk) : chunk);

/** An Hmac or Hash: update with text (UTF-8) or bytes, then digest once. */
function digester(state: { update(data: Uint8Array): unknown; digest(): Uint8Array }) {
  const object = {
    update(chunk: string | Uint8Array) {
      state.update(bytesOf(chunk));
      return object;
    },
    digest(encoding?: Encoding) {
      const bytes = WebBuffer.from(state.digest());
      return encoding === undefined ? bytes : bytes.toString(encoding);
    },
  };
  return object;
}

export const createHmac = ((algorithm: string, key: string | Uint8Array) =>
  digester(hmac.create(hashOf(algorithm), bytesOf(key)))) as unknown as typeof NodeCrypto.createHmac;

export const createHash = ((algorithm: string) => digester(hashOf(algorithm).create())) as unknown as typeof NodeCrypto.createHash;

/** Constant time in the length; unequal lengths throw, as Node's does. */
export const timingSafeEqual = ((a: Uint8Array, b: Uint8Array) => {
  if (a.byteLength !== b.byteLength) throw new RangeError("Input buffers must have the same byte length");
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}) as typeof NodeCrypto.timingSafeEqual;

export const randomUUID = (() => globalThis.crypto.randomUUID()) as typeof NodeCrypto.randomUUID;

const ASYMMETRIC =
  "Ed25519 and P-256 webhook signatures need node:crypto, which the runtime's build for platforms without node:* does not use; HMAC schemes work everywhere";
const unavailable = () => {
  throw new ConfigurationError(ASYMMETRIC);
};
export const createPublicKey = unavailable as unknown as typeof NodeCrypto.createPublicKey;
export const createPrivateKey = unavailable as unknown as typeof NodeCrypto.createPrivateKey;
export const verify = unavailable as unknown as typeof NodeCrypto.verify;
export const sign = unavailable as unknown as typeof NodeCrypto.sign;
