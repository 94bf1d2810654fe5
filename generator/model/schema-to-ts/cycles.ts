/**
 * Circular type aliases. `type A = A | string` does not compile ("circularly references itself"):
 * TypeScript only allows a type alias to refer to itself from inside an object type, an array or a
 * tuple. A schema can say it anyway (`oneOf: [{ $ref: "#/a" }, ...]` under a). Given each declaration's
 * eager references (type-tree.ts), this finds the declarations that refer to themselves, directly or
 * through others, outside those positions.
 */

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
