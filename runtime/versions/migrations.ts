/**
 * Declarative migrations between API versions (the spec's versions.migrations): rename, move, remove
 * or default a field, at a path from the root or inside every object of a type. Applied to responses
 * fetched at another version than the client's and offered for webhook payloads, so application code
 * sees one shape. The input is never modified.
 */
import type { VersionMigrationChange, VersionsDefinition } from "../definition.js";

export interface MigrationResult<T = unknown> {
  /** The migrated payload, or the input itself when nothing was applied. */
  readonly payload: T;
  /**
   * "migrated": changes were applied; "current": the payload is already at the target version;
   * "unknown": no chain of migrations leads from `from` to `to`, so the payload is untouched.
   */
  readonly outcome: "migrated" | "current" | "unknown";
  readonly from: string;
  readonly to: string;
  /** The versions passed through, `from` first, when migrated. */
  readonly steps: readonly string[];
}

/**
 * Migrates `payload`, written at version `from`, to version `to` (@default the pinned version) through
 * the chain of declared migrations. An unknown version, or one with no chain to `to`, leaves the payload
 * untouched and says so in `outcome`.
 */
export function migratePayload<T>(
  versions: VersionsDefinition,
  payload: T,
  from: string,
  to: string = versions.pinned,
): MigrationResult<T> {
  if (from === to) return { payload, outcome: "current", from, to, steps: [] };
  const chain = findMigrationChain(versions, from, to);
  if (!chain) return { payload, outcome: "unknown", from, to, steps: [] };
  let migrated: unknown = structuredClone(payload);
  for (const migration of chain) for (const change of migration.changes) migrated = applyChange(migrated, change);
  return { payload: migrated as T, outcome: "migrated", from, to, steps: [from, ...chain.map((m) => m.to)] };
}

type Migration = VersionsDefinition["migrations"][number];

/** The shortest chain of migrations from `from` to `to` (breadth first), or undefined. */
export function findMigrationChain(versions: VersionsDefinition, from: string, to: string): Migration[] | undefined {
  const queue: { version: string; chain: Migration[] }[] = [{ version: from, chain: [] }];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const { version, chain } = queue.shift()!;
    for (const migration of versions.migrations) {
      if (migration.from !== version || seen.has(migration.to)) continue;
      const next = [...chain, migration];
      if (migration.to === to) return next;
      seen.add(migration.to);
      queue.push({ version: migration.to, chain: next });
    }
  }
  return undefined;
}

function applyChange(payload: unknown, change: VersionMigrationChange): unknown {
  if (change.type === undefined) return applyAt(payload, change);
  visit(payload, (node) => {
    if (node["object"] === change.type || node["type"] === change.type) applyAt(node, change);
  });
  return payload;
}

/** Calls `fn` on every object in the tree, parents first. */
function visit(node: unknown, fn: (node: Record<string, unknown>) => void, depth = 0): void {
  if (typeof node !== "object" || node === null || depth > 64) return;
  if (!Array.isArray(node)) fn(node as Record<string, unknown>);
  for (const child of Object.values(node)) visit(child, fn, depth + 1);
}

type Container = Record<string | number, unknown>;

function parentOf(root: unknown, path: readonly (string | number)[], create: boolean): Container | undefined {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return undefined;
    const container = node as Container;
    if (!Object.hasOwn(container, segment) && create) container[segment] = {};
    node = container[segment];
  }
  return typeof node === "object" && node !== null ? (node as Container) : undefined;
}

function applyAt(root: unknown, change: VersionMigrationChange): unknown {
  const path = change.path;
  const key = path[path.length - 1];
  if (key === undefined) return root;
  if (change.op === "default") {
    const parent = parentOf(root, path, true);
    if (parent && !Object.hasOwn(parent, key)) parent[key] = structuredClone(change.value);
    return root;
  }
  const parent = parentOf(root, path, false);
  if (!parent || !Object.hasOwn(parent, key)) return root;
  const value = parent[key];
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else delete parent[key];
  if ((change.op === "rename" || change.op === "move") && change.to && change.to.length > 0) {
    const target = parentOf(root, change.to, true);
    if (target) target[change.to[change.to.length - 1]!] = value;
  }
  return root;
}
