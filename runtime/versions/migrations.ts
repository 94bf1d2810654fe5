/**
 * Declarative migrations between API versions (the spec's versions.migrations): rename, move, copy,
 * remove or default a field, or map its value, at a path from the root or inside every object of a type.
 * Applied to responses fetched at another version than the client's and offered for webhook payloads,
 * so application code sees one shape; requests written at the pinned version are rewritten for the
 * version a call is sent at (migrateRequest). The input is never modified.
 */
import type { ClientParts } from "../client/parts.js";
import type { VersionMigrationChange, VersionRequestChange, VersionsDefinition } from "../definition.js";

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
export function findMigrationChain<M extends { readonly from: string; readonly to: string } = Migration>(
  versions: { readonly migrations: readonly M[] },
  from: string,
  to: string,
): M[] | undefined {
  const queue: { version: string; chain: M[] }[] = [{ version: from, chain: [] }];
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
  if (change.op === "mapValue") {
    const values = change.values ?? {};
    if (typeof value === "string" && Object.hasOwn(values, value)) parent[key] = values[value];
    return root;
  }
  if (change.op !== "copy") {
    if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
    else delete parent[key];
  }
  if (change.op !== "remove" && change.to && change.to.length > 0) {
    const target = parentOf(root, change.to, true);
    if (target) target[change.to[change.to.length - 1]!] = change.op === "copy" ? structuredClone(value) : value;
  }
  return root;
}

/** The parts of a call a request migration rewrites: query parameters and headers by wire name, and the body. */
export interface RequestValues {
  readonly query?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

export interface RequestMigrationResult<T extends RequestValues> extends Omit<MigrationResult<T>, "payload"> {
  /** The call rewritten for `to`, or the input itself when nothing was applied. */
  readonly call: T;
}

/**
 * Rewrites the query, headers and body of a call of `operation`, written in the shape of version `from`
 * (@default the pinned version, the one the generated types follow), for version `to`: along the chain
 * from `from` to `to` each step's request changes apply as declared (a parameter renamed or removed at
 * that step), along a chain from `to` to `from` (an older version) they apply inverted, last step first
 * (a parameter added at that step is dropped, a renamed one takes its old name). Without either chain
 * the call is untouched and `outcome` is "unknown".
 */
export function migrateRequest<T extends RequestValues>(
  versions: VersionsDefinition,
  operation: string,
  call: T,
  to: string,
  from: string = versions.pinned,
): RequestMigrationResult<T> {
  const unchanged = (outcome: "current" | "unknown") => ({ call, outcome, from, to, steps: [] });
  if (from === to) return unchanged("current");
  const forward = findMigrationChain(versions, from, to);
  const backward = forward ? undefined : findMigrationChain(versions, to, from);
  const chain = forward ?? backward?.slice().reverse();
  if (!chain) return unchanged("unknown");
  const changes = chain.flatMap((m) => {
    const own = (m.requests ?? []).filter((c) => c.operations.includes(operation));
    return (forward ? own : own.reverse()).flatMap((c) => {
      const change = forward ? ahead(c) : back(c);
      return change ? [{ part: PARTS[c.in], change }] : [];
    });
  });
  const steps = forward ? [from, ...chain.map((m) => m.to)] : [from, ...chain.map((m) => m.from)];
  if (changes.length === 0) return { call, outcome: "migrated", from, to, steps };
  const parts: Record<"query" | "headers" | "body", unknown> = {
    query: call.query === undefined ? undefined : { ...call.query },
    headers: call.headers === undefined ? undefined : { ...call.headers },
    body: typeof call.body === "object" && call.body !== null ? structuredClone(call.body) : call.body,
  };
  for (const { part, change } of changes) if (typeof parts[part] === "object" && parts[part] !== null) applyAt(parts[part], change);
  return { call: { ...call, ...definedParts(parts) }, outcome: "migrated", from, to, steps };
}

const PARTS = { query: "query", header: "headers", body: "body" } as const;

/** A request change read forwards: a field added at its step needs nothing (the older shape lacks it). */
function ahead(change: VersionRequestChange): VersionMigrationChange | undefined {
  if (change.op === "add") return undefined;
  return { op: change.op, path: change.path, ...(change.to && { to: change.to }), ...(change.values && { values: change.values }) };
}

/**
 * A request change read backwards (from its step's `to` to its `from`): a rename goes back, a mapping
 * maps back, a field added at the step is dropped, a removed one needs nothing (the newer shape lacks it).
 */
function back(change: VersionRequestChange): VersionMigrationChange | undefined {
  switch (change.op) {
    case "rename":
      return { op: "rename", path: change.to ?? change.path, to: change.path };
    case "mapValue":
      return { op: "mapValue", path: change.path, values: Object.fromEntries(Object.entries(change.values ?? {}).map(([a, b]) => [b, a])) };
    case "add":
      return { op: "remove", path: change.path };
    case "remove":
      return undefined;
  }
}

function definedParts(parts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined));
}

/** The client part for a spec that declares migrations (../client/parts.ts): an answer fetched at another version is migrated. */
export const versionMigrations: ClientParts = { migratePayload };

/** The client part for a spec whose migrations change requests: a call sent at another version is rewritten. */
export const versionRequestMigrations: ClientParts = {
  rewriteCall(definition, operation, call, to) {
    const versions = definition.versions;
    if (!versions || to === versions.pinned) return undefined;
    const migrated = migrateRequest(versions, operation, call, to);
    if (migrated.call === call) return undefined;
    const { from, outcome } = migrated;
    return { call: migrated.call, event: { type: "migration", request: true, from, to, outcome } };
  },
};
