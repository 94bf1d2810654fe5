/** Declaration names: one identifier per `$ref` target, assigned deterministically. */
import { bindingName } from "../../common/names.js";
import { compareCodePoints } from "../../common/sort.js";

/**
 * Names for declarations. Targets are taken in code-point order of their id, so a name never
 * depends on the order the schemas were visited in. A name already taken (reserved, or by an earlier
 * id) gets `_2`, `_3`, ...: identifiers from names.ts never contain `_` after their first character,
 * so a numbered name cannot equal a derived one.
 */
export function assignNames(targets: ReadonlyMap<string, string>, reserved: Iterable<string> = []): Map<string, string> {
  const used = new Set(reserved);
  const names = new Map<string, string>();
  for (const id of [...targets.keys()].sort(compareCodePoints)) {
    const base = bindingName(targets.get(id)!, "pascal");
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(id, name);
  }
  return names;
}
