/** How an operation's group (resource) and method name are derived when the spec does not say. */
import { bindingName, identifierText, words } from "./names.js";

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

/**
 * The levels of a group: "crm.contacts" is client.crm.contacts. A name with an empty level ("a.", ".b",
 * "a..b") does not nest.
 */
export function groupLevels(group: string): string[] {
  const levels = group.split(".");
  return levels.includes("") ? [group] : levels;
}

/** {name} placeholders of a path, in order. */
export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

/** Placeholder filled from the versions section rather than from a parameter. */
export const API_VERSION_PLACEHOLDER = "apiVersion";

/**
 * Names a provider's index.ts exports all start with the provider (its name in PascalCase, as in
 * StripeClient), so every bundled provider can be re-exported from one module without a collision.
 */

/** Name of the generated params type of an operation: StripeCustomersCreateParams. */
export function paramsTypeName(provider: string, group: string, method: string): string {
  return `${operationStem(provider, group, method)}Params`;
}

/** Name of the generated response type of an operation: StripeCustomersCreateResponse. */
export function responseTypeName(provider: string, group: string, method: string): string {
  return `${operationStem(provider, group, method)}Response`;
}

/** Name of the generated event type of a streamed operation: OpenaiChatStreamCompletionStreamEvent. */
export function streamEventTypeName(provider: string, group: string, method: string): string {
  return `${operationStem(provider, group, method)}StreamEvent`;
}

function operationStem(provider: string, group: string, method: string): string {
  return `${provider}${identifierText(group, "pascal")}${identifierText(method, "pascal")}`;
}

/** Name of the generated resource class of a group: StripeCustomersResource. */
export function resourceClassName(provider: string, group: string): string {
  return `${provider}${identifierText(group, "pascal")}Resource`;
}

/** Name of the generated type of a webhook event: StripePaymentIntentSucceededEvent. */
export function eventTypeName(provider: string, type: string): string {
  return `${provider}${identifierText(type, "pascal")}Event`;
}

/** Name of the generated payload type of a webhook event: StripePaymentIntentSucceededPayload. */
export function eventPayloadTypeName(provider: string, type: string): string {
  return `${provider}${identifierText(type, "pascal")}Payload`;
}

/** The provider's name as it starts every exported name (PascalCase; StripeClient). */
export function providerPascal(doc: { readonly provider?: unknown }): string {
  const provider = doc.provider;
  const name = typeof provider === "object" && provider !== null && "name" in provider ? provider.name : undefined;
  return typeof name === "string" ? bindingName(name, "pascal") : "";
}
