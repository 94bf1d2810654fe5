/** signWebhook (sign.ts) for the schemes of token-schemes.ts: a JWT in a header, a shared secret in the body or a header. */
import { Buffer, createHash, createHmac, randomUUID } from "#webhook-platform";
import type { WebhooksDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { hmacKey } from "./keys.js";
import type { SignedWebhook, SignWebhookInput } from "./sign.js";

const base64url = (bytes: Buffer): string => bytes.toString("base64url");

export function signTokenScheme(definition: WebhooksDefinition, input: SignWebhookInput): SignedWebhook {
  const sig = definition.signature;
  const body =
    typeof input.body === "string" ? Buffer.from(input.body) : Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const contentType = input.contentType ?? "application/json";
  if (sig.algorithm === "shared-secret") {
    if (input.secret.length === 0) throw new ConfigurationError("webhook secret is empty");
    const shared = sig.sharedSecret!;
    // The secret as the header's value; the body goes as given.
    if ("header" in shared) return { headers: { [shared.header]: input.secret, "content-type": contentType } };
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ConfigurationError("a shared-secret scheme writes the secret into a JSON body: the body is not JSON");
    }
    if (writeAll(payload, shared.at, input.secret) === 0)
      throw new ConfigurationError("the body has no place where the spec locates the shared secret");
    return { headers: { "content-type": contentType }, body: JSON.stringify(payload) };
  }
  // jwt-hs256: the claims in the order Vonage sends them: iat, jti, iss, then the body digest.
  const jwt = sig.jwt ?? {};
  const issued = typeof input.timestamp === "string" ? Number(input.timestamp) : Math.floor(input.timestamp ?? Date.now() / 1000);
  if (!Number.isFinite(issued)) throw new ConfigurationError("the timestamp of a JWT is unix seconds");
  const claims: Record<string, unknown> = {
    [jwt.timestampClaim ?? "iat"]: issued,
    jti: input.id ?? randomUUID(),
    ...(jwt.issuer !== undefined && { iss: jwt.issuer }),
    ...(jwt.bodyHash !== undefined && {
      [jwt.bodyHash.claim]: createHash(jwt.bodyHash.algorithm).update(body).digest(jwt.bodyHash.encoding),
    }),
  };
  const signed = `${base64url(Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })))}.${base64url(Buffer.from(JSON.stringify(claims)))}`;
  const signature = createHmac("sha256", hmacKey(input.secret, sig.secretEncoding)).update(signed).digest();
  const prefix = sig.format.style === "single" ? sig.format.prefix : "";
  return { headers: { [sig.header]: `${prefix}${signed}.${base64url(signature)}`, "content-type": contentType } };
}

/** Sets `value` at every place `path` reaches whose parent exists (`*`: every array item); how many it set. */
function writeAll(node: unknown, path: readonly (string | number)[], value: string): number {
  if (typeof node !== "object" || node === null || path.length === 0) return 0;
  const [segment, ...rest] = path;
  if (segment === "*") return Array.isArray(node) ? node.reduce((n: number, item: unknown) => n + writeAll(item, rest, value), 0) : 0;
  const record = node as Record<string | number, unknown>;
  if (rest.length === 0) {
    record[segment!] = value;
    return 1;
  }
  return Object.hasOwn(record, segment!) ? writeAll(record[segment!], rest, value) : 0;
}
