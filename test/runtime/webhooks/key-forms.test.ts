/**
 * Public keys in the forms providers hand them out (issue #15): a raw 32-byte Ed25519 key as 64 hex
 * digits (Discord), a JWK, PEM, base64 DER SPKI; a key in another form is a ConfigurationError naming
 * the expected form, never an accepted delivery.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WebhooksDefinition } from "../../../runtime/definition.js";
import { ConfigurationError } from "../../../runtime/errors/errors.js";
import { verifyWebhookDelivery } from "../../../runtime/webhooks/verify-all.js";
import { signWebhook } from "../../../runtime/webhooks/sign.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const jwk = publicKey.export({ format: "jwk" });
const hex = Buffer.from(jwk.x!, "base64url").toString("hex");
const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
const other = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });

function definition(secretEncoding: WebhooksDefinition["signature"]["secretEncoding"]): WebhooksDefinition {
  return {
    signature: {
      algorithm: "ed25519",
      header: "x-signature-ed25519",
      timestampHeader: "x-signature-timestamp",
      alternativeHeaders: [],
      format: { style: "single", prefix: "" },
      content: ["timestamp", "body"],
      encoding: "hex",
      secretEncoding,
      toleranceDirection: "both",
      urlDefaultPort: "exact",
    },
    eventType: [{ body: ["type"], map: { "1": "PING", "2": "APPLICATION_COMMAND" } }],
    maxBodySize: 65536,
    payload: { encoding: "json", allowEmpty: false },
    response: { status: 200 },
  };
}

const body = JSON.stringify({ id: "1", type: 1 });
const NOW = 1_767_225_600;

describe("public key forms", () => {
  const cases = [
    ["hex-public-key", hex],
    ["hex-public-key", hex.toUpperCase()],
    ["jwk", JSON.stringify(jwk)],
    ["pem-public-key", pem],
    ["base64-spki", publicKey.export({ type: "spki", format: "der" }).toString("base64")],
  ] as const;
  for (const [encoding, key] of cases) {
    it(`${encoding}: a delivery signed with the private key verifies, its numeric type mapped (1 -> PING)`, async () => {
      const d = definition(encoding);
      const { headers } = signWebhook(d, { body, secret: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), timestamp: NOW });
      const event = await verifyWebhookDelivery("acme", d, { headers, body }, { publicKey: key, now: NOW });
      expect(event.type).toBe("PING");
    });
  }

  it("a delivery signed by another key is a signature_mismatch under a JWK", async () => {
    const d = definition("jwk");
    const { headers } = signWebhook(d, { body, secret: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), timestamp: NOW });
    await expect(verifyWebhookDelivery("acme", d, { headers, body }, { publicKey: JSON.stringify(other), now: NOW })).rejects.toMatchObject(
      {
        code: "signature_mismatch",
      },
    );
  });

  it("a key in the wrong form is a ConfigurationError naming the expected one; a private JWK is refused", async () => {
    const d = definition("hex-public-key");
    const { headers } = signWebhook(d, { body, secret: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), timestamp: NOW });
    const wrong = verifyWebhookDelivery("acme", d, { headers, body }, { publicKey: hex.slice(2), now: NOW });
    await expect(wrong).rejects.toBeInstanceOf(ConfigurationError);
    await expect(wrong).rejects.toThrow("webhook public key is not a raw Ed25519 public key as 64 hex digits, or PEM");
    const privateJwk = JSON.stringify(privateKey.export({ format: "jwk" }));
    await expect(verifyWebhookDelivery("acme", definition("jwk"), { headers, body }, { publicKey: privateJwk, now: NOW })).rejects.toThrow(
      "webhook public key is not a JSON Web Key (public), or PEM",
    );
  });
});
