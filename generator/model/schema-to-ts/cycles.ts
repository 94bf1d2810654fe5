/**
 * Circular type aliases. `type A = A | string` does not compile ("circularly references itself"):
 * TypeScript only allows a type alias to refer to itself from inside an object type, an array or a
 * tuple. A schema can say it anyway (`oneOf: [{ $ref: "#/a" }, ...]` under a). This finds the
 * declarations that refer to themselves, directly or through others, outside those positions.
 */

/**
 * Indexes of the references written "eagerly" in a type text: not inside `{...}` or a tuple `[...]`,
 * and not the element type of an array (`X[]`, `(X | Y)[]`). References are `<mark>index<mark>`;
 * string literals and comments are skipped.
 */
export function eagerReferences(text: string, mark: string): number[] {
  const eager: number[] = [];
  // One entry per open parenthesis: the references found inside it at depth 0, until it closes.
  const groups: number[][] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "{" || c === "[") {
      // `[]` right after a type is the array suffix, not a tuple: no depth change.
      if (c === "[" && text[i + 1] === "]") i++;
      else depth++;
    } else if (c === "}" || c === "]") depth--;
    else if (depth === 0 && c === "(") groups.push([]);
    else if (depth === 0 && c === ")") {
      const group = groups.pop() ?? [];
      const isArray = text.startsWith("[]", i + 1);
      if (!isArray) (groups[groups.length - 1] ?? eager).push(...group);
    } else if (c === mark) {
      const end = text.indexOf(mark, i + 1);
      const index = Number(text.slice(i + 1, end));
      i = end;
      if (depth === 0 && !text.startsWith("[]", end + 1)) (groups[groups.length - 1] ?? eager).push(index);
    }
  }
  return eager;
}

/** The nodes of a directed graph that lie on a cycle (a node with an edge to itself included). */
export function nodesOnCycles(edges: ReadonlyMap<number, readonly number[]>): Set<number> {
  // Tarjan's strongly connected components, iterative enough for these sizes (recursion depth is
  // bounded by the number of declarations).
  let counter = 0;
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const result = new Set<number>();
  const visit = (v: number) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) for (const n of component) result.add(n);
    }
  };
  for (const v of [...edges.keys()].sort((a, b) => a - b)) if (!index.has(v)) visit(v);
  return result;
}
