/**
 * URL variables: values a caller supplies at client creation (Shopify's {shop}), checked against the
 * spec's pattern once, then filled into {name} placeholders.
 */
import type { ClientParts } from "./parts.js";
import type { VariableDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { declared } from "../internal/declared.js";

export function resolveVariables(
  provider: string,
  definitions: Readonly<Record<string, VariableDefinition>>,
  given: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const value = given !== undefined && Object.hasOwn(given, name) ? given[name] : definition.default;
    if (typeof value !== "string" || value === "") throw new ConfigurationError(`variables.${name} is required`);
    if (definition.pattern !== undefined && !new RegExp(definition.pattern, "u").test(value)) {
      throw new ConfigurationError(`variables.${name} does not match ${definition.pattern}`);
    }
    values[name] = value;
  }
  for (const name of Object.keys(given ?? {})) declared(definitions, name, "variable", provider);
  return values;
}

/** Replaces each {name} whose value is known; each value is percent-encoded as one URL component. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([^{}]+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? encodeURIComponent(values[name]!) : whole));
}

/** The client part for a spec with URL variables (./parts.ts): their values checked and filled in. */
export const urlVariables: ClientParts = { variables: resolveVariables };
