/**
 * webhooks.signature.exampleKey: the key or secret a provider's docs show, checked against the declared
 * secretEncoding, so a key in the wrong form (64 hex digits where PEM is declared, base64 where hex) is
 * caught at validate time rather than as a ConfigurationError on the first delivery. Messages name forms,
 * never the key.
 */

/** The forms an example can be recognised as, most specific first. */
type KeyForm = "pem" | "jwk" | "hex-public-key" | "whsec-base64" | "base64-spki" | "base64" | "text";

const FORM_WORDS: Readonly<Record<KeyForm, string>> = {
  pem: "a PEM key (-----BEGIN ...)",
  jwk: "a JSON Web Key",
  "hex-public-key": "64 hex digits (a raw 32-byte key)",
  "whsec-base64": "whsec_ followed by base64",
  "base64-spki": "base64 of a DER SubjectPublicKeyInfo",
  base64: "base64",
  text: "plain text",
};

/** What each secretEncoding expects, in words, and the forms it accepts. */
const EXPECTS: Readonly<Record<string, { readonly words: string; readonly accepts: readonly KeyForm[] }>> = {
  raw: { words: "the secret's text as given", accepts: ["pem", "jwk", "hex-public-key", "whsec-base64", "base64-spki", "base64", "text"] },
  base64: { words: "base64", accepts: ["base64", "base64-spki", "hex-public-key"] },
  "whsec-base64": { words: "whsec_ followed by base64", accepts: ["whsec-base64", "base64", "base64-spki", "hex-public-key"] },
  "pem-public-key": { words: "a PEM public key (-----BEGIN PUBLIC KEY-----)", accepts: ["pem"] },
  "base64-spki": { words: "base64 of a DER SubjectPublicKeyInfo, or PEM", accepts: ["base64-spki", "pem"] },
  "hex-public-key": { words: "64 hex digits, or PEM", accepts: ["hex-public-key", "pem"] },
  jwk: { words: "a JSON Web Key (public), or PEM", accepts: ["jwk", "pem"] },
};

/** The secretEncoding that fits each recognised form (what "did you mean" proposes). */
const ENCODING_FOR: Readonly<Record<KeyForm, string>> = {
  pem: "pem-public-key",
  jwk: "jwk",
  "hex-public-key": "hex-public-key",
  "whsec-base64": "whsec-base64",
  "base64-spki": "base64-spki",
  base64: "base64",
  text: "raw",
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether bytes are exactly one DER SEQUENCE (what a SubjectPublicKeyInfo is). */
function isDerSequence(der: Buffer): boolean {
  if (der[0] !== 0x30) return false;
  const length = der[1]!;
  if (length < 0x80) return length === der.length - 2;
  if (length === 0x81) return der[2] === der.length - 3;
  return length === 0x82 && ((der[2]! << 8) | der[3]!) === der.length - 4;
}

/** The form an example key is written in. */
export function keyFormOf(example: string): KeyForm {
  const text = example.trim();
  if (/^-----BEGIN [A-Z ]+-----/.test(text)) return "pem";
  if (text.startsWith("{")) {
    try {
      const jwk = JSON.parse(text) as unknown;
      if (typeof jwk === "object" && jwk !== null && typeof (jwk as { kty?: unknown }).kty === "string") return "jwk";
    } catch {
      // not JSON: plain text
    }
    return "text";
  }
  if (/^[0-9a-fA-F]{64}$/.test(text)) return "hex-public-key";
  if (text.startsWith("whsec_") && BASE64.test(text.slice(6))) return "whsec-base64";
  const compact = text.replace(/\s+/g, "");
  if (compact.length >= 16 && BASE64.test(compact)) return isDerSequence(Buffer.from(compact, "base64")) ? "base64-spki" : "base64";
  return "text";
}

/**
 * The problem with an example key under a secretEncoding, as a message with a did-you-mean, or undefined
 * when the example fits. `raw` fits anything but a key that is plainly another form's (PEM, a JWK, whsec_).
 */
export function exampleKeyProblem(example: string, secretEncoding: string): string | undefined {
  const expects = EXPECTS[secretEncoding];
  if (expects === undefined) return undefined; // an unknown encoding is the schema's to report
  const form = keyFormOf(example);
  const plainlyOther = secretEncoding === "raw" && (form === "pem" || form === "jwk" || form === "whsec-base64");
  if (!plainlyOther && expects.accepts.includes(form)) return undefined;
  return `the example key is ${FORM_WORDS[form]}, but secretEncoding ${secretEncoding} expects ${expects.words}: did you mean secretEncoding: ${ENCODING_FOR[form]}?`;
}
