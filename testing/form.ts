/**
 * Reads an `application/x-www-form-urlencoded` body (or a query string) back into the object a client
 * encoded: bracketed keys nest (`items[0][price]`, `metadata[order]`), numeric or empty brackets and
 * repeated names make arrays. Every leaf stays a string, as on the wire.
 */
export type FormObject = { [key: string]: FormValue };
export type FormValue = string | FormValue[] | FormObject;

export function parseFormBody(text: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    const segments = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)] : [key];
    insert(root, segments, value);
  }
  return root;
}

function insert(node: FormObject | FormValue[], segments: readonly string[], value: string): void {
  const [head, ...rest] = segments as [string, ...string[]];
  const isArray = Array.isArray(node);
  const key = isArray && (head === "" || /^\d+$/.test(head)) ? (head === "" ? node.length : Number(head)) : head;
  const container = node as Record<string | number, FormValue>;
  if (rest.length === 0) {
    const existing = container[key];
    if (existing === undefined) container[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === "string") container[key] = [existing, value];
    return;
  }
  let child = container[key];
  if (typeof child !== "object") {
    child = rest[0] === "" || /^\d+$/.test(rest[0]!) ? [] : {};
    container[key] = child;
  }
  insert(child, rest, value);
}
