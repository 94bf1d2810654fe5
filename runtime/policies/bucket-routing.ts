/**
 * Which rate-limit buckets an operation draws from: every bucket without `appliesTo`, every bucket whose
 * `appliesTo` matches the operation's method, path template or group, and the buckets the operation
 * names itself. Also whether it takes an idempotency key (retry.idempotency methods and paths). Path
 * patterns match the spec's path template: `*` is one segment, `**` any number.
 */
import type { OperationDefinition, RateLimitBucketDefinition, RetryDefinition } from "../definition.js";

export function bucketsFor(operation: OperationDefinition, buckets: Readonly<Record<string, RateLimitBucketDefinition>>): string[] {
  const names = new Set(operation.buckets ?? []);
  for (const [name, bucket] of Object.entries(buckets)) {
    const applies = bucket.appliesTo;
    if (
      !applies ||
      applies.methods?.includes(operation.method) ||
      applies.groups?.includes(operation.group) ||
      applies.paths?.some((pattern) => pathMatches(pattern, operation.path))
    ) {
      names.add(name);
    }
  }
  return [...names].filter((name) => Object.hasOwn(buckets, name)).sort();
}

/** Whether the spec's idempotency keys apply to an operation: one of its methods and, when it names paths, one of them. */
export function takesIdempotencyKey(
  idempotency: NonNullable<RetryDefinition["idempotency"]>,
  operation: Pick<OperationDefinition, "method" | "path">,
): boolean {
  return idempotency.methods.includes(operation.method) && (idempotency.paths?.some((p) => pathMatches(p, operation.path)) ?? true);
}

export function pathMatches(pattern: string, path: string): boolean {
  return matchSegments(pattern.split("/"), 0, path.split("?")[0]!.split("/"), 0);
}

function matchSegments(pattern: readonly string[], p: number, path: readonly string[], i: number): boolean {
  if (p === pattern.length) return i === path.length;
  const segment = pattern[p]!;
  if (segment === "**") {
    for (let k = i; k <= path.length; k++) if (matchSegments(pattern, p + 1, path, k)) return true;
    return false;
  }
  if (i === path.length) return false;
  return (segment === "*" || segment === path[i]) && matchSegments(pattern, p + 1, path, i + 1);
}
