import { ConfigurationError } from "../errors/errors.js";

/**
 * `table[name]` when the spec declares `name` (an environment, auth mode, variable or bucket), else a
 * ConfigurationError that lists the declared names. Own properties only: "toString" is never declared.
 */
export function declared<T>(table: Readonly<Record<string, T>>, name: string, what: string, provider: string): T {
  if (!Object.hasOwn(table, name)) {
    throw new ConfigurationError(`unknown ${what} "${name}" for ${provider} (known: ${Object.keys(table).join(", ") || "none"})`);
  }
  return table[name]!;
}
