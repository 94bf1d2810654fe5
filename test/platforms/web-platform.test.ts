/**
 * The webhook engine's Web platform (runtime/webhooks/platform/web.ts, what a Worker bundle gets instead of
 * node:buffer and node:crypto) against Node's: the same answers for every encoding and digest the engine
 * uses, and every webhook vector of test/fixtures/webhooks classified the same by the generated verifiers
 * on both platforms, except the public-key schemes, which on the Web platform say they need node:crypto.
 */
import { createHash as nodeHash, createHmac as nodeHmac, timingSafeEqual as nodeEqual } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import * as web from "../../runtime/webhooks/platform/web.js";
// A type only: importing the test file itself would run its tests here too.
import type { Vector } from "../runtime/webhooks/vectors.test.js";

const ENCODINGS = ["hex", "base64", "base64url", "utf8", "latin1"] as const;

describe("the Web platform's Buffer and digests", () => {
  it("encodes bytes as node:buffer does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(...ENCODINGS), (bytes, encoding) => {
        expect(web.Buffer.from(bytes).toString(encoding)).toBe(Buffer.from(bytes).toString(encoding));
      }),
      { numRuns: 500 },
    );
  });

  it("decodes a body's UTF-8 as node:buffer does, malformed sequences included (decodeUtf8)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(web.decodeUtf8(bytes)).toBe(Buffer.from(bytes).toString("utf8"));
      }),
      { numRuns: 1000 },
    );
  });

  it("decodes ASCII text as node:buffer does, malformed text included (odd hex, stray characters, padding anywhere)", () => {
    // The engine decodes only text it has checked is ASCII (keys.ts); any text is UTF-8 encoded.
    const ascii = fc.string({ unit: fc.constantFrom(..."AZaz09+/-_=g! \n".split("")), maxLength: 40 });
    fc.assert(
      fc.property(ascii, fc.constantFrom(...ENCODINGS), (value, encoding) => {
        expect([...web.Buffer.from(value, encoding)]).toEqual([...Buffer.from(value, encoding)]);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (value) => {
        expect([...web.Buffer.from(value)]).toEqual([...Buffer.from(value)]);
        expect(web.Buffer.byteLength(value)).toBe(Buffer.byteLength(value));
      }),
    );
  });

  it("writes malformed text into a buffer of fixed length as node:buffer does (the JWT part reads the count written)", () => {
    const ascii = fc.string({ unit: fc.constantFrom(..."AZaz09+/-_=g! ".split("")), maxLength: 48 });
    fc.assert(
      fc.property(ascii, fc.integer({ min: 0, max: 36 }), fc.constantFrom("hex", "base64", "base64url"), (text, size, enc) => {
        const a = web.Buffer.alloc(size);
        const b = Buffer.alloc(size);
        expect(a.write(text, enc)).toBe(b.write(text, enc));
        expect([...a]).toEqual([...b]);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes into a buffer of fixed length as node:buffer does", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom("hex", "base64"),
        (bytes, size, enc) => {
          const text = Buffer.from(bytes).toString(enc);
          const a = web.Buffer.alloc(size);
          const b = Buffer.alloc(size);
          expect(a.write(text, enc)).toBe(b.write(text, enc));
          expect([...a]).toEqual([...b]);
        },
      ),
    );
  });

  it("computes SHA-1/256/512 digests and HMACs as node:crypto does, fed in text and byte chunks", () => {
    const chunk = fc.oneof(fc.string({ maxLength: 30 }), fc.uint8Array({ maxLength: 200 }));
    fc.assert(
      fc.property(
        fc.constantFrom("sha1", "sha256", "sha512"),
        fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 200 })),
        fc.array(chunk, { maxLength: 4 }),
        (hash, key, chunks) => {
          const [a, b] = [web.createHmac(hash, key), nodeHmac(hash, key)];
          const [c, d] = [web.createHash(hash), nodeHash(hash)];
          for (const part of chunks) [a, b, c, d].forEach((h) => h.update(part));
          expect(a.digest("hex")).toBe(b.digest("hex"));
          expect([...c.digest()]).toEqual([...d.digest()]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("compares in constant time as node:crypto does, and refuses unequal lengths", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        if (a.length !== b.length) expect(() => web.timingSafeEqual(a, b)).toThrow(RangeError);
        else expect(web.timingSafeEqual(a, b)).toBe(nodeEqual(a, b));
      }),
    );
    expect(web.timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
  });

  it("refuses public-key operations with a ConfigurationError that names node:crypto", () => {
    expect(() => web.createPublicKey("-----BEGIN PUBLIC KEY-----")).toThrow(/need node:crypto/);
    expect(() => web.createPublicKey("-----BEGIN PUBLIC KEY-----")).toThrow(expect.objectContaining({ name: "ConfigurationError" }));
  });
});

const fixtures = path.resolve(import.meta.dirname, "../fixtures/webhooks");
const vectors = readdirSync(fixtures)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(path.join(fixtures, f), "utf8")) as { vectors: Vector[] }).vectors);

/** Vector file -> the generated module whose verifyWebhook classifies it. */
const MODULES: Readonly<Record<string, string>> = { standardwebhooks: "openai", svix: "resend" };

type Verify = (delivery: object, options: object) => Promise<unknown>;

/** Each vector's outcome through its generated verifyWebhook, as the module graph now resolves the platform. */
async function outcomes(): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const v of vectors) {
    const provider = MODULES[v.provider] ?? v.provider;
    const module = (await import(`../../generated/${provider}/index.ts`)) as Record<string, unknown>;
    // The generated verifier is named after its provider: verifyStripeWebhook, verifyOpenaiWebhook...
    const verifyWebhook = Object.entries(module).find(([name]) => /^verify[A-Z]\w*Webhook$/.test(name))?.[1] as Verify | undefined;
    if (!verifyWebhook) throw new Error(`generated/${provider} exports no verify<Provider>Webhook`);
    // A plain Uint8Array, not a Buffer: what a Worker's request.arrayBuffer() gives.
    const body = new Uint8Array(Buffer.from(v.bodyBase64, "base64"));
    const options = {
      now: v.now,
      ...(v.secret !== undefined && { secret: v.secret }),
      ...(v.publicKey !== undefined && { publicKey: v.publicKey }),
    };
    try {
      await verifyWebhook({ headers: v.headers, body, method: v.method, ...(v.url !== undefined && { url: v.url }) }, options);
      result.set(`${v.provider}/${v.name}`, "valid");
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      result.set(`${v.provider}/${v.name}`, e.name === "ConfigurationError" ? `ConfigurationError: ${e.message}` : `${e.name}: ${e.code}`);
    }
  }
  return result;
}

describe("every webhook vector on the Web platform", () => {
  it("is classified as on Node, except that public-key schemes say they need node:crypto", async () => {
    const onNode = await outcomes();
    vi.resetModules();
    vi.doMock("#webhook-platform", () => import("../../runtime/webhooks/platform/web.js"));
    let onWeb: Map<string, string>;
    try {
      onWeb = await outcomes();
    } finally {
      vi.doUnmock("#webhook-platform");
      vi.resetModules();
    }
    expect(onWeb.size).toBe(vectors.length);
    const differing = [...onWeb].filter(([key, outcome]) => onNode.get(key) !== outcome);
    // The public-key scheme (SendGrid's P-256) is the only one that differs, and only where a key is used.
    expect(new Set(differing.map(([key]) => key.split("/")[0]))).toEqual(new Set(["sendgrid"]));
    for (const [, outcome] of differing)
      expect(outcome).toMatch(/^ConfigurationError: Ed25519 and P-256 webhook signatures need node:crypto/);
    const same = [...onWeb].filter(([key, outcome]) => onNode.get(key) === outcome).map(([, outcome]) => outcome);
    expect(same.filter((o) => o === "valid").length).toBeGreaterThanOrEqual(30);
    expect(same.filter((o) => o.startsWith("WebhookVerificationError")).length).toBeGreaterThanOrEqual(50);
  });
});
