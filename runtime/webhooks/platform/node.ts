/**
 * What the webhook engine (verify.ts, keys.ts, content.ts, sign.ts) takes from its platform, on Node, Bun
 * and Deno: node:buffer and node:crypto. The package's `#webhook-platform` import resolves here unless a
 * bundler builds for a Web platform ("workerd", "worker", "browser" conditions): then web.ts stands in.
 */
export { Buffer } from "node:buffer";
export {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign,
  timingSafeEqual,
  verify,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";
