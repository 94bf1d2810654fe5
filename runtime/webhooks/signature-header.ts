/** Reads and writes a signature header in the three styles a spec can declare. */
import type { WebhookSignatureDefinition } from "../definition.js";

export interface ParsedSignatureHeader {
  /** The timestamp carried in the header itself (keyValue style with a timestampKey). */
  readonly timestamp?: string;
  /** Every signature of the scheme's version, still encoded. */
  readonly signatures: readonly string[];
}

/**
 * Splits the signature header's values into signatures; undefined when the header is malformed. Items are
 * not trimmed, as in Stripe's parser: `t=1, v1=..` is malformed.
 */
export function parseSignatureHeader(format: WebhookSignatureDefinition["format"], values: readonly string[]): ParsedSignatureHeader | undefined {
  const signatures: string[] = [];
  let timestamp: string | undefined;
  for (const value of values) {
    if (format.style === "single") {
      if (!value.startsWith(format.prefix) || value.length === format.prefix.length) return undefined;
      signatures.push(value.slice(format.prefix.length));
    } else if (format.style === "keyValue") {
      // Scanned with indexOf rather than split: this runs on every delivery.
      const separator = format.separator;
      for (let start = 0; start <= value.length; ) {
        let end = value.indexOf(separator, start);
        if (end < 0) end = value.length;
        const eq = value.indexOf("=", start);
        if (eq <= start || eq >= end) return undefined;
        const key = value.slice(start, eq);
        if (key === format.timestampKey) {
          const text = value.slice(eq + 1, end);
          if (timestamp !== undefined && timestamp !== text) return undefined;
          timestamp = text;
        } else if (key === format.signatureKey && end > eq + 1) signatures.push(value.slice(eq + 1, end));
        start = end + separator.length;
      }
    } else {
      // "v1,<sig> v1,<sig> v1a,<sig>": space-separated items, each "version,signature".
      const tag = `${format.version},`;
      for (let start = 0; start < value.length; ) {
        let end = value.indexOf(" ", start);
        if (end < 0) end = value.length;
        if (end - start > tag.length && value.startsWith(tag, start)) signatures.push(value.slice(start + tag.length, end));
        start = end + 1;
      }
    }
  }
  if (signatures.length === 0) return undefined;
  if (format.style === "keyValue" && format.timestampKey !== undefined && timestamp === undefined) return undefined;
  return timestamp === undefined ? { signatures } : { timestamp, signatures };
}

/** The header value a provider sends for one signature. */
export function formatSignatureHeader(format: WebhookSignatureDefinition["format"], signature: string, timestamp: string | undefined): string {
  if (format.style === "single") return format.prefix + signature;
  if (format.style === "versionedList") return `${format.version},${signature}`;
  const pairs = format.timestampKey !== undefined ? [`${format.timestampKey}=${timestamp ?? ""}`] : [];
  return [...pairs, `${format.signatureKey}=${signature}`].join(format.separator);
}
