/** webhooks.signature.exampleKey against secretEncoding (generator/validate/semantics/webhook-keys.ts). */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exampleKeyProblem, keyFormOf } from "../../../../generator/validate/semantics/webhook-keys.js";

const ed = generateKeyPairSync("ed25519").publicKey;
const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey;
const PEM = ed.export({ type: "spki", format: "pem" }).toString();
const SPKI = ec.export({ type: "spki", format: "der" }).toString("base64");
const HEX = ed.export({ type: "spki", format: "der" }).subarray(12).toString("hex");
const JWK = JSON.stringify(ed.export({ format: "jwk" }));
const WHSEC = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const BASE64 = Buffer.from("a shared secret of some length").toString("base64");

describe("keyFormOf", () => {
  it("recognises each form a provider hands keys out in", () => {
    expect([PEM, JWK, HEX, WHSEC, SPKI, BASE64, "my signing secret"].map(keyFormOf)).toEqual([
      "pem",
      "jwk",
      "hex-public-key",
      "whsec-base64",
      "base64-spki",
      "base64",
      "text",
    ]);
  });
});

describe("exampleKeyProblem", () => {
  it("accepts an example in the declared form (PEM for every public-key form)", () => {
    for (const [example, encoding] of [
      [PEM, "pem-public-key"],
      [PEM, "hex-public-key"],
      [PEM, "jwk"],
      [PEM, "base64-spki"],
      [HEX, "hex-public-key"],
      [JWK, "jwk"],
      [SPKI, "base64-spki"],
      [WHSEC, "whsec-base64"],
      [BASE64, "whsec-base64"],
      [BASE64, "base64"],
      ["my signing secret", "raw"],
      [HEX, "raw"],
    ] as const)
      expect(exampleKeyProblem(example, encoding), `${encoding}`).toBeUndefined();
  });

  it("names the example's form, what the encoding expects and the encoding that fits, never the key", () => {
    const cases = [
      [HEX, "pem-public-key", "did you mean secretEncoding: hex-public-key?"],
      [SPKI, "hex-public-key", "did you mean secretEncoding: base64-spki?"],
      [BASE64, "hex-public-key", "did you mean secretEncoding: base64?"],
      [JWK, "base64-spki", "did you mean secretEncoding: jwk?"],
      [WHSEC, "raw", "did you mean secretEncoding: whsec-base64?"],
      [PEM, "raw", "did you mean secretEncoding: pem-public-key?"],
      ["not base64!", "base64", "did you mean secretEncoding: raw?"],
    ] as const;
    for (const [example, encoding, hint] of cases) {
      const problem = exampleKeyProblem(example, encoding);
      expect(problem, encoding).toContain(hint);
      expect(problem).toContain(`secretEncoding ${encoding} expects`);
      expect(problem).not.toContain(example.trim().slice(0, 12));
    }
  });
});
