/** Random values and PKCE (RFC 7636, S256) with WebCrypto, so it runs on Node, browsers and workers. */

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** UTF-8 bytes of a string (a function, not a module-level TextEncoder, so importing stays side-effect free). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** `bytes` cryptographically random bytes, base64url-encoded (32 bytes: 43 characters, 256 bits). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A code verifier: 43 characters from the unreserved set, 256 bits of entropy. */
export function generateCodeVerifier(): string {
  return randomToken(32);
}

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(verifier)). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(verifier));
  return base64url(new Uint8Array(digest));
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i % Math.max(1, y.length)] ?? 0);
  return diff === 0;
}
