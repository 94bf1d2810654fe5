/** Case-insensitive reads from a delivery's headers. */
import type { WebhookDelivery } from "./delivery.js";

type Headers = WebhookDelivery["headers"];

/**
 * The values of header `name` (lower case), in any case, repeated headers flattened; empty when absent.
 * Tries the exact key first: Node's http module and most frameworks already hand lower-case names.
 */
export function headerValues(headers: Headers, name: string): readonly string[] {
  const direct = headers[name];
  if (direct !== undefined) return typeof direct === "string" ? [direct] : direct;
  const found: string[] = [];
  // for-in, not Object.keys: an absent optional header (the usual case) then allocates nothing.
  for (const key in headers) {
    if (key.length !== name.length || key.toLowerCase() !== name || !Object.hasOwn(headers, key)) continue;
    const value = headers[key];
    if (typeof value === "string") found.push(value);
    else if (value !== undefined) found.push(...value);
  }
  return found;
}

/** One header's single value; undefined when absent, `null` when it is repeated with different values. */
export function headerValue(headers: Headers, name: string): string | undefined | null {
  const direct = headers[name];
  if (typeof direct === "string") return direct;
  const values = headerValues(headers, name);
  if (values.length === 0) return undefined;
  const first = values[0]!;
  return values.every((v) => v === first) ? first : null;
}
