/**
 * The jwt-hs256 and shared-secret schemes (runtime/webhooks/token-schemes.ts): Vonage's signed webhooks
 * differentially against @vonage/jwt's verifySignature (plus the payload_hash check Vonage's docs prescribe),
 * Microsoft Graph's clientState on both platforms' primitives, and GitLab's token in a header; signWebhook
 * round-trips.
 */
import { createHash, createHmac } from "node:crypto";
import path from "node:path";
import { verifySignature } from "@vonage/jwt";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../generator/config.js";
import { readSpec } from "../../../generator/generate.js";
import * as msgraph from "../../../generated/msgraph/index.js";
import * as vonage from "../../../generated/vonage/index.js";
import { verifyWebhookWith, webhookSharedSecret } from "../../../runtime/contract.js";
import { ConfigurationError, isWebhookVerificationError, type WebhookDelivery } from "../../../runtime/index.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";
import { readAll } from "../../../runtime/webhooks/token-schemes.js";

const NOW = 1_767_225_600;
const SECRET = "vonage-signature-secret";
const b64url = (text: string) => Buffer.from(text).toString("base64url");

/** A token as Vonage shapes it, with any claims and header, signed HS256 (or with `alg`'s HMAC). */
function token(claims: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }): string {
  const signed = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const hash = header["alg"] === "HS512" ? "sha512" : "sha256";
  return `${signed}.${createHmac(hash, secret).update(signed).digest("base64url")}`;
}

async function outcome(authorization: string | undefined, body: string): Promise<string> {
  try {
    await vonage.verifyVonageWebhook({ headers: authorization === undefined ? {} : { authorization }, body }, { secret: SECRET, now: NOW });
    return "valid";
  } catch (error) {
    if (isWebhookVerificationError(error)) return error.code;
    throw error;
  }
}

/** What Vonage's SDK and docs say: verifySignature (at NOW), then payload_hash === sha256(body), then the 300 s window on iat. */
function official(authorization: string | undefined, body: string): boolean {
  if (authorization === undefined || !/^bearer /i.test(authorization)) return false;
  const jwt = authorization.slice(7);
  const realNow = Date.now;
  Date.now = () => NOW * 1000;
  let ok: boolean;
  try {
    ok = verifySignature(jwt, SECRET);
  } finally {
    Date.now = realNow;
  }
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
  return (
    claims["payload_hash"] === createHash("sha256").update(body).digest("hex") &&
    typeof claims["iat"] === "number" &&
    Math.abs(NOW - claims["iat"]) <= 300 &&
    claims["iss"] === "Vonage"
  );
}

describe("Vonage jwt-hs256 against @vonage/jwt verifySignature + payload_hash", () => {
  const body = JSON.stringify({ message_uuid: "m1", status: "delivered", channel: "sms" });
  const hash = createHash("sha256").update(body).digest("hex");
  const base = { iat: NOW - 5, jti: "j1", iss: "Vonage", payload_hash: hash };

  it("agrees with the official check on generated tokens: claims, secrets, algorithms, bodies", async () => {
    const claimSets = fc.record(
      {
        iat: fc.oneof(fc.constant(NOW - 5), fc.integer({ min: NOW - 1000, max: NOW + 1000 })),
        jti: fc.string(),
        iss: fc.constantFrom("Vonage", "Other"),
        payload_hash: fc.oneof(
          fc.constant(hash),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex")),
        ),
        exp: fc.integer({ min: NOW - 100, max: NOW + 100 }),
        nbf: fc.integer({ min: NOW - 100, max: NOW + 100 }),
      },
      { requiredKeys: ["jti"] },
    );
    await fc.assert(
      fc.asyncProperty(
        claimSets,
        fc.constantFrom(SECRET, "other-secret"),
        fc.constantFrom("HS256", "HS512"),
        fc.constantFrom(body, body.replace("delivered", "read")),
        async (claims, secret, alg, sent) => {
          const authorization = `Bearer ${token(claims, secret, { alg, typ: "JWT" })}`;
          expect((await outcome(authorization, sent)) === "valid").toBe(official(authorization, sent));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects with the code that fits: tampered body, missing claim, expiry, alg none, not a bearer token", async () => {
    expect(await outcome(`Bearer ${token(base)}`, body)).toBe("valid");
    expect(await outcome(`Bearer ${token(base)}`, body + " ")).toBe("signature_mismatch");
    expect(await outcome(`Bearer ${token({ ...base, payload_hash: undefined })}`, body)).toBe("signature_mismatch");
    expect(await outcome(`Bearer ${token({ ...base, iss: "Nexmo" })}`, body)).toBe("signature_mismatch");
    expect(await outcome(`Bearer ${token({ ...base, exp: NOW })}`, body)).toBe("timestamp_out_of_tolerance");
    expect(await outcome(`Bearer ${token({ ...base, nbf: NOW + 1 })}`, body)).toBe("timestamp_out_of_tolerance");
    expect(await outcome(`Bearer ${token({ ...base, exp: "later" })}`, body)).toBe("malformed_signature");
    expect(await outcome(`Bearer ${token({ ...base, iat: "now" })}`, body)).toBe("malformed_signature");
    expect(await outcome(`Bearer ${token({ ...base, iat: NOW + 301 })}`, body)).toBe("timestamp_out_of_tolerance");
    const unsigned = `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(base))}.`;
    expect(await outcome(`Bearer ${unsigned}`, body)).toBe("malformed_signature");
    expect(await outcome(`Basic dXNlcjpwYXNz`, body)).toBe("malformed_signature");
    expect(await outcome(`Bearer a.b`, body)).toBe("malformed_signature");
    expect(await outcome(undefined, body)).toBe("missing_signature");
  });

  it("accepts only the canonical base64url of the signature and of the claims, and payload_hash hex in either case", async () => {
    /** A token over exactly these header and claims texts (spelled as given), signed HS256. */
    const spelled = (headerText: string, claimsText: string) =>
      `${headerText}.${claimsText}.${createHmac("sha256", SECRET).update(`${headerText}.${claimsText}`).digest("base64url")}`;
    const headerText = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const claimsText = b64url(JSON.stringify(base));
    const good = spelled(headerText, claimsText);
    expect(await outcome(`Bearer ${good}`, body)).toBe("valid");
    const signature = good.slice(good.lastIndexOf(".") + 1);
    const signed = good.slice(0, good.lastIndexOf(".") + 1);
    // 43 digits whose last carries two zero bits: the next digit decodes to the same bytes in Node, and is refused.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sloppy = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) + 1]!;
    expect(Buffer.from(sloppy, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    for (const variant of [
      sloppy,
      `${signature}=`,
      signature.slice(0, -1),
      `${signature}A`,
      `${signature.slice(0, 10)}!${signature.slice(11)}`,
      // base64's own digits, which Node's base64url decoder also reads
      Buffer.from(signature, "base64url").toString("base64").replace(/=+$/, ""),
    ])
      if (variant !== signature) expect(await outcome(`Bearer ${signed}${variant}`, body)).toBe("malformed_signature");
    // The claims are signed as spelled; a spelling that is not canonical base64url is refused even so.
    // Six "~" hold one aligned group of three 0x7e bytes, which base64 spells "fn5+" and base64url "fn5-".
    const claimsBytes = Buffer.from(JSON.stringify({ ...base, jti: "~~~~~~" }));
    const claimsUrl = claimsBytes.toString("base64url");
    const claimsPlus = claimsBytes.toString("base64").replace(/=+$/, "");
    expect(claimsPlus).not.toBe(claimsUrl);
    expect(await outcome(`Bearer ${spelled(headerText, claimsUrl)}`, body)).toBe("valid");
    expect(await outcome(`Bearer ${spelled(headerText, claimsPlus)}`, body)).toBe("malformed_signature");
    expect(await outcome(`Bearer ${spelled(headerText, `${claimsUrl.slice(0, 8)}*${claimsUrl.slice(8)}`)}`, body)).toBe(
      "malformed_signature",
    );
    // Padding, which some encoders add, is read as before.
    const padded = claimsBytes.toString("base64url") + "=".repeat((4 - (claimsUrl.length % 4)) % 4);
    expect(await outcome(`Bearer ${spelled(headerText, padded)}`, body)).toBe("valid");
    // payload_hash: hex in upper case is the same digest; a short or non-hex one covers nothing.
    expect(await outcome(`Bearer ${token({ ...base, payload_hash: hash.toUpperCase() })}`, body)).toBe("valid");
    expect(await outcome(`Bearer ${token({ ...base, payload_hash: hash.slice(0, -2) })}`, body)).toBe("signature_mismatch");
    expect(await outcome(`Bearer ${token({ ...base, payload_hash: `${hash.slice(0, -2)}zz` })}`, body)).toBe("signature_mismatch");
    expect(await outcome(`Bearer ${token({ ...base, payload_hash: `${hash}00` })}`, body)).toBe("signature_mismatch");
  });

  it("accepts any of several secrets (rotation) and never puts the secret in an error", async () => {
    const authorization = `Bearer ${token(base, "new-secret")}`;
    await expect(
      vonage.verifyVonageWebhook({ headers: { authorization }, body }, { secret: ["old", "new-secret"], now: NOW }),
    ).resolves.toMatchObject({
      type: "delivered",
    });
    const error = await vonage
      .verifyVonageWebhook({ headers: { authorization }, body }, { secret: "wrong-secret-x", now: NOW })
      .catch((e: unknown) => e);
    expect(JSON.stringify(error) + String(error)).not.toContain("wrong-secret-x");
  });

  it("signWebhook makes the token Vonage's docs show, which @vonage/jwt verifies", () => {
    const { headers } = signWebhook(vonage.vonageWebhooksDefinition, { body, secret: SECRET, timestamp: NOW, id: "j1" });
    const jwt = headers["authorization"]!.replace(/^Bearer /, "");
    expect(JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    expect(JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString())).toEqual({
      iat: NOW,
      jti: "j1",
      iss: "Vonage",
      payload_hash: hash,
    });
    expect(official(headers["authorization"], body)).toBe(true);
  });
});

describe("Microsoft Graph shared-secret (clientState)", () => {
  const secret = "graph-client-state";
  const body = (...states: (string | undefined)[]) =>
    JSON.stringify({
      value: states.map((clientState) => ({ changeType: "created", resource: "users", ...(clientState !== undefined && { clientState }) })),
    });
  const check = (text: string, options: { secret: string | string[] } = { secret }) =>
    msgraph.verifyMsgraphWebhook({ headers: {}, body: text }, options).then(
      () => "valid",
      (e: unknown) => (isWebhookVerificationError(e) ? e.code : "threw"),
    );

  it("accepts only when every notification carries one of the secrets", async () => {
    expect(await check(body(secret, secret))).toBe("valid");
    expect(await check(body(secret, "x"))).toBe("signature_mismatch");
    expect(await check(body(secret, undefined))).toBe("missing_signature");
    expect(await check(body())).toBe("missing_signature");
    expect(await check(JSON.stringify({ value: { clientState: secret } }))).toBe("missing_signature");
    expect(await check(JSON.stringify({ other: [] }))).toBe("missing_signature");
    expect(await check(body("a", "b"), { secret: ["a", "b"] })).toBe("valid");
    expect(await check(body(secret + "x"))).toBe("signature_mismatch");
  });

  it("readAll expands [*] over every item and reports a missing step as undefined", () => {
    expect(readAll({ value: [{ s: "a" }, { s: "b" }, {}] }, ["value", "*", "s"])).toEqual(["a", "b", undefined]);
    expect(readAll({ value: [] }, ["value", "*", "s"])).toEqual([]);
    expect(readAll({ value: 1 }, ["value", "*", "s"])).toEqual([undefined]);
  });

  it("signWebhook writes the secret into every notification, which then verifies", async () => {
    const signed = signWebhook(msgraph.msgraphWebhooksDefinition, { body: body(undefined, "old"), secret });
    expect(JSON.parse(signed.body!)).toEqual(JSON.parse(body(secret, secret)));
    expect(await check(signed.body!)).toBe("valid");
  });
});

describe("GitLab shared-secret in a header (X-Gitlab-Token, test/fixtures/webhook-specs/gitlab.yaml)", async () => {
  const { model } = await readSpec(
    resolveConfig({ cwd: path.resolve(import.meta.dirname, "../../..") }),
    path.resolve(import.meta.dirname, "../../fixtures/webhook-specs/gitlab.yaml"),
  );
  const definition = model!.definition.webhooks!;
  const secret = "gitlab-secret-token";
  const body = JSON.stringify({ object_kind: "push", ref: "refs/heads/main" });
  const headers = { "x-gitlab-token": secret, "x-gitlab-event": "Push Hook", "idempotency-key": "3c5d2e1f" };
  const verify = (delivery: WebhookDelivery, options: { secret: string | string[] } = { secret }) =>
    verifyWebhookWith([webhookSharedSecret], "gitlab", definition, delivery, options);
  const check = (delivery: WebhookDelivery, options?: { secret: string | string[] }) =>
    verify(delivery, options).then(
      () => "valid",
      (e: unknown) => (isWebhookVerificationError(e) ? e.code : "threw"),
    );

  it("accepts the token the header carries as is, in any header case, and any of several secrets", async () => {
    expect(await verify({ headers, body })).toEqual({ type: "push", id: "3c5d2e1f", payload: JSON.parse(body) });
    expect(await check({ headers: { "X-Gitlab-Token": secret }, body })).toBe("valid");
    expect(await check({ headers: { "x-gitlab-token": [secret, secret] }, body })).toBe("valid");
    expect(await check({ headers, body }, { secret: ["old-token", secret] })).toBe("valid");
  });

  it("rejects a missing, different, longer or repeated-and-different token with the code that fits", async () => {
    expect(await check({ headers: { "x-gitlab-event": "Push Hook" }, body })).toBe("missing_signature");
    expect(await check({ headers: { "x-gitlab-token": "gitlab-secret-tokem" }, body })).toBe("signature_mismatch");
    expect(await check({ headers: { "x-gitlab-token": `${secret}x` }, body })).toBe("signature_mismatch");
    expect(await check({ headers: { "x-gitlab-token": "" }, body })).toBe("signature_mismatch");
    expect(await check({ headers: { "x-gitlab-token": [secret, "other"] }, body })).toBe("malformed_signature");
  });

  it("checks the token before reading the body, and names neither token in its errors", async () => {
    // A forged delivery is refused for its token, not for its body: the body is never parsed.
    expect(await check({ headers: { "x-gitlab-token": "forged-token" }, body: "not json" })).toBe("signature_mismatch");
    expect(await check({ headers, body: "not json" })).toBe("invalid_payload");
    const error = await verify({ headers: { "x-gitlab-token": "forged-token" }, body }).then(
      () => expect.unreachable("a forged token verified"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain("x-gitlab-token");
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/forged-token|gitlab-secret-token/);
  });

  it("signWebhook sends the secret as the header's value and leaves the body as given", async () => {
    const signed = signWebhook(definition, { body, secret });
    expect(signed).toEqual({ headers: { "x-gitlab-token": secret, "content-type": "application/json" } });
    expect(await check({ headers: signed.headers, body })).toBe("valid");
    expect(() => signWebhook(definition, { body, secret: "" })).toThrow(ConfigurationError);
  });
});
