/** Reads a value at a path of property names and array indexes; undefined when any step is missing. */
export function readPath(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** The value at a path as text: a string as is, a finite number as its decimal text; undefined otherwise. */
export function textAt(value: unknown, path: readonly (string | number)[]): string | undefined {
  const found = readPath(value, path);
  return typeof found === "string" ? found : typeof found === "number" && Number.isFinite(found) ? String(found) : undefined;
}

/** A path as specs and messages write it: $.value[*].clientState, $.items[0].id. Built for messages only. */
export function pathText(path: readonly (string | number)[]): string {
  return `$${path.map((s) => (s === "*" ? "[*]" : typeof s === "number" ? `[${s}]` : `.${s}`)).join("")}`;
}
