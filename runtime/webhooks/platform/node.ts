/**
 * What the webhook engine (verify.ts, keys.ts, content.ts, sign.ts) takes from its platform, on Node, Bun
 * and Deno: node:buffer and node:crypto. The package's `#webhook-platform` import resolves here unless a
 * bundler builds for a Web platform ("workerd", "worker", "browser" conditions): then web.ts stands in.
 */
import * as crypto from "node:crypto";

export { Buffer } from "node:buffer";
export type { JsonWebKey, KeyObject } from "node:crypto";

// Members of the namespace rather than `export { ... } from "node:crypto"`: a bundler keeps every name of
// a re-export from a module it leaves external, and only the members an application reads of a namespace.
export const createHash: typeof crypto.createHash = crypto.createHash;
export const createHmac: typeof crypto.createHmac = crypto.createHmac;
export const createPrivateKey: typeof crypto.createPrivateKey = crypto.createPrivateKey;
export const createPublicKey: typeof crypto.createPublicKey = crypto.createPublicKey;
export const randomUUID: typeof crypto.randomUUID = crypto.randomUUID;
export const sign: typeof crypto.sign = crypto.sign;
export const timingSafeEqual: typeof crypto.timingSafeEqual = crypto.timingSafeEqual;
export const verify: typeof crypto.verify = crypto.verify;
