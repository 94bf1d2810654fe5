/** How an operation's group (resource) and method name are derived when the spec does not say. */
import { identifierText, words } from "./names.js";

const VERSION_SEGMENT = /^(v[0-9]+(\.[0-9]+)*|[0-9]{4}-[0-9]{2}(-[0-9]{2})?)$/;

/** The group of an operation: its `group`, else the first path segment that is not a version or parameter. */
export function operationGroup(operation: { group?: unknown; path?: unknown }): string {
  if (typeof operation.group === "string") return operation.group;
  const path = typeof operation.path === "string" ? operation.path : "";
  for (const segment of path.split("/")) {
    if (segment === "" || segment.includes("{") || VERSION_SEGMENT.test(segment)) continue;
    return segment.replace(/\.[A-Za-z]+$/, "");
  }
  return "root";
}

/**
 * The method name of an operation: its `name`, else its id with the group's words stripped from the
 * front ("customers.create" in group "customers" is "create").
 */
export function operationName(id: string, operation: { name?: unknown }, group: string): string {
  if (typeof operation.name === "string") return operation.name;
  const idWords = words(id);
  const groupWords = words(group).map((w) => w.toLowerCase());
  const prefix = idWords.slice(0, groupWords.length).map((w) => w.toLowerCase());
  if (idWords.length > groupWords.length && groupWords.length > 0 && prefix.join(" ") === groupWords.join(" ")) {
    return idWords.slice(groupWords.length).join("_");
  }
  return id;
}

/** {name} placeholders of a path, in order. */
export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

/** Placeholder filled from the versions section rather than from a parameter. */
export const API_VERSION_PLACEHOLDER = "apiVersion";

/** Name of the generated params type of an operation: CustomersCreateParams. */
export function paramsTypeName(group: string, method: string): string {
  return `${identifierText(group, "pascal")}${identifierText(method, "pascal")}Params`;
}

/** Name of the generated resource class of a group: CustomersResource. */
export function resourceClassName(group: string): string {
  return `${identifierText(group, "pascal")}Resource`;
}

/** Name of the generated type of a webhook event: PaymentIntentSucceededEvent. */
export function eventTypeName(type: string): string {
  return `${identifierText(type, "pascal")}Event`;
}
