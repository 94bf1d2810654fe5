/** Case-insensitive reads from a delivery's headers. */
import type { WebhookDelivery } from "./delivery.js";
import { WebhookVerificationError } from "./errors.js";

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
 * One header's single value, undefined when absent; a header repeated with different values is
 * `malformed_signature`, whatever header it is: an array, or keys in other cases than lower case (a
 * lower-case key, the exact name, is read as the header's one value, as Node's and Fetch's headers give it).
 */
export function headerOnce(provider: string, headers: Headers, name: string, what = "the"): string | undefined {
  const direct = headers[name];
  if (typeof direct === "string") return direct;
  const values = headerValues(headers, name);
  const first = values[0];
  if (values.some((v) => v !== first))
    throw new WebhookVerificationError(provider, "malformed_signature", `${what} header ${name} is repeated with different values`);
  return first;
}
