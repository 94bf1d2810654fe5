/**
 * Flattening structured values into key/value pairs, for application/x-www-form-urlencoded bodies,
 * query strings and multipart forms, in the array style a provider expects:
 *  - "indices"  items[0][price]=p&expand[0]=a   (Stripe: what stripe-node's qs call sends)
 *  - "brackets" expand[]=a&expand[]=b
 *  - "repeat"   MediaUrl=a&MediaUrl=b           (Twilio)
 *  - "comma"    labels=a,b
 * Objects always nest with brackets (metadata[order]=1). Arrays of objects always use indices, the only
 * unambiguous form. Undefined values and empty arrays and objects are left out; null becomes an empty
 * value (Stripe's way to unset a field); booleans are "true"/"false"; dates are unix seconds.
 * Values are percent-encoded as RFC 3986 (space as %20, !'()* escaped), byte for byte what the `qs`
 * package (twilio-node) sends; with `literalBrackets`, [ and ] stay literal, byte for byte stripe-node.
 */
import type { ArrayStyle } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";

export type FormValue = string | Blob;

/** Flattens `value` into pairs; Blobs (files) pass through for multipart bodies. */
export function flattenParams(
  value: Readonly<Record<string, unknown>>,
  arrays: ArrayStyle,
  styles?: Readonly<Record<string, ArrayStyle>>,
): [string, FormValue][] {
  const pairs: [string, FormValue][] = [];
  const visit = (key: string, item: unknown, style: ArrayStyle): void => {
    if (item === undefined) return;
    if (item === null) pairs.push([key, ""]);
    else if (Array.isArray(item)) {
      const scalars = item.every((element) => element === null || typeof element !== "object" || element instanceof Date);
      if (scalars && style === "comma") {
        if (item.length > 0) pairs.push([key, item.map((element) => scalar(element)).join(",")]);
      } else if (scalars && style === "repeat") item.forEach((element) => visit(key, element, style));
      else if (scalars && style === "brackets") item.forEach((element) => visit(`${key}[]`, element, style));
      else item.forEach((element, index) => visit(`${key}[${index}]`, element, style));
    } else if (item instanceof Date) pairs.push([key, scalar(item)]);
    else if (typeof Blob !== "undefined" && item instanceof Blob) pairs.push([key, item]);
    else if (item instanceof Uint8Array) pairs.push([key, new Blob([item])]);
    else if (typeof item === "object") {
      for (const [k, v] of Object.entries(item)) visit(`${key}[${k}]`, v, style);
    } else pairs.push([key, scalar(item)]);
  };
  for (const [k, v] of Object.entries(value)) visit(k, v, styles !== undefined && Object.hasOwn(styles, k) ? styles[k]! : arrays);
  return pairs;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  return String(value);
}

export interface FormEncoding {
  /** @default "indices" */
  readonly arrays?: ArrayStyle;
  /** Per top-level key, where it differs from `arrays`. */
  readonly styles?: Readonly<Record<string, ArrayStyle>> | undefined;
  /** Leave [ and ] un-escaped in keys and values (stripe-node's way). @default false */
  readonly literalBrackets?: boolean;
}

/** Encodes `value` as application/x-www-form-urlencoded (or a query string, without the "?"). */
export function encodeForm(value: Readonly<Record<string, unknown>>, encoding: FormEncoding = {}): string {
  const literal = encoding.literalBrackets === true;
  let out = "";
  for (const [key, item] of flattenParams(value, encoding.arrays ?? "indices", encoding.styles)) {
    if (typeof item !== "string") throw new ConfigurationError(`form field ${key}: a file needs a multipart body`);
    if (out !== "") out += "&";
    out += literal
      ? `${unescapeBrackets(encodeComponent(key))}=${unescapeBrackets(encodeComponent(item))}`
      : `${encodeComponent(key)}=${encodeComponent(item)}`;
  }
  return out;
}

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - . _ ~. */
export function encodeComponent(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    throw new ConfigurationError("a form or query value holds an unpaired UTF-16 surrogate and cannot be encoded");
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function unescapeBrackets(encoded: string): string {
  return encoded.replace(/%5B/g, "[").replace(/%5D/g, "]");
}
