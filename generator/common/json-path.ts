/** Whether `text` is a path the spec language's jsonPath allows (the schema's pattern: no `[*]`). */
export function isJsonPath(text: string): boolean {
  return /^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])*$/.test(text);
}

/** Splits `$.a.b[0]` into ["a", "b", 0]; `[*]` (every item of an array) becomes "*". */
export function parseJsonPath(text: string): (string | number)[] {
  const path: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+|\*)\]/g;
  for (const match of text.slice(1).matchAll(re)) {
    path.push(match[1] !== undefined ? match[1] : match[2] === "*" ? "*" : Number(match[2]));
  }
  return path;
}
