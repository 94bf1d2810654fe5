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

/** One header's single value; undefined when absent, `null` when it is repeated with different values. */
export function headerValue(headers: Headers, name: string): string | undefined | null {
  const direct = headers[name];
  if (typeof direct === "string") return direct;
  const values = headerValues(headers, name);
  if (values.length === 0) return undefined;
  const first = values[0]!;
  return values.every((v) => v === first) ? first : null;
}

/**
 * One header's single value, undefined when absent; a header repeated with different values (an array, or
 * keys that differ only in case: see withFoldedCase) is `malformed_signature`, whatever header it is.
 */
export function headerOnce(provider: string, headers: Headers, name: string, what = "the"): string | undefined {
  const value = headerValue(headers, name);
  if (value === null)
    throw new WebhookVerificationError(provider, "malformed_signature", `${what} header ${name} is repeated with different values`);
  return value;
}

/**
 * The names a verifier reads, indexed by their length: what withFoldedCase looks for. Built once per
 * definition (plan.ts).
 */
export type HeaderNamesByLength = readonly (readonly string[] | undefined)[];

export function headerNamesByLength(names: Iterable<string>): HeaderNamesByLength {
  const byLength: string[][] = [];
  for (const name of names) {
    const same = (byLength[name.length] ??= []);
    if (!same.includes(name)) same.push(name);
  }
  return byLength;
}

/**
 * `headers` itself when no key is another spelling (in case) of a name in `names`, the usual case: Node's
 * http module, the fetch adapter and signWebhook give lower-case keys. Otherwise a copy with lower-case
 * keys in which the keys that differ only in case are one array of all their values, so that reading it
 * sees every value: `{ "X-Hub-Signature": a, "x-hub-signature": b }` is then a header repeated with
 * different values, not whichever key a lookup meets first. One pass over the keys per delivery, a
 * length comparison for most of them (measured on Node 20, on a shared machine: 0.05 to 0.08 µs for the two
headers signWebhook gives a Stripe delivery, about 0.12 µs for nine headers as Node hands them over; a 2 KB
Stripe delivery takes 16 to 22 µs to verify there).
 */
export function withFoldedCase(headers: Headers, names: HeaderNamesByLength): Headers {
  const keys = Object.keys(headers);
  let i = 0;
  for (; i < keys.length; i++) {
    const key = keys[i]!;
    const same = names[key.length];
    if (same !== undefined && !same.includes(key) && same.includes(key.toLowerCase())) break;
  }
  if (i === keys.length) return headers;
  const folded: Record<string, string[]> = {};
  for (const key of keys) {
    const value = headers[key];
    if (value === undefined) continue;
    const list = (folded[key.toLowerCase()] ??= []);
    if (typeof value === "string") list.push(value);
    else list.push(...value);
  }
  return folded;
}
