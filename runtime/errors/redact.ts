/**
 * Redaction: what may leave the client in events, errors and logs. Credentials travel only in the
 * request itself; anything observable sees `[redacted]` in their place.
 */

export const REDACTED = "[redacted]";

/**
 * Header and query names whose values are always secret, besides those SECRET_PATTERN matches (which
 * covers authorization, proxy-authorization, x-api-key, api-key and apikey).
 */
const SECRET_NAMES = ["cookie", "set-cookie"];
/** Names that look like they carry a secret. */
const SECRET_PATTERN = /(auth|token|secret|password|passwd|signature|session|credential|api[-_]?key|access[-_]?key|private[-_]?key)/i;

export interface Redactor {
  isSecret(name: string): boolean;
  headers(headers: Readonly<Record<string, string>>): Record<string, string>;
  url(url: string): string;
}

/** `extra`: names the spec or the caller declare secret (an apiKey mode's header or query name). */
export function createRedactor(extra: readonly string[] = [], allow: readonly string[] = []): Redactor {
  const secret = new Set([...SECRET_NAMES, ...extra].map((n) => n.toLowerCase()));
  const allowed = new Set(allow.map((n) => n.toLowerCase()));
  const decided = new Map<string, boolean>();
  const isSecret = (name: string): boolean => {
    let answer = decided.get(name);
    if (answer === undefined) {
      const lower = name.toLowerCase();
      answer = !allowed.has(lower) && (secret.has(lower) || SECRET_PATTERN.test(lower));
      if (decided.size < 1024) decided.set(name, answer);
    }
    return answer;
  };
  return {
    isSecret,
    headers(headers) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) out[name] = isSecret(name) ? REDACTED : value;
      return out;
    },
    url(url) {
      const query = url.indexOf("?");
      if (query < 0) return url;
      const hash = url.indexOf("#", query);
      const end = hash < 0 ? url.length : hash;
      const pairs = url
        .slice(query + 1, end)
        .split("&")
        .map((pair) => {
          const eq = pair.indexOf("=");
          const name = eq < 0 ? pair : pair.slice(0, eq);
          let decoded = name;
          try {
            decoded = decodeURIComponent(name.replace(/\+/g, " "));
          } catch {
            // keep the raw name
          }
          return eq >= 0 && isSecret(decoded) ? `${name}=${REDACTED}` : pair;
        });
      return `${url.slice(0, query)}?${pairs.join("&")}${url.slice(end)}`;
    },
  };
}
