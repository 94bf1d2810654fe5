/**
 * `encodePath` is a tagged template for request paths: every interpolated value is percent-encoded as
 * one path segment, so `/customers/${id}` can never be turned into `/customers/../admin` by an id.
 */
import { ConfigurationError } from "../errors/errors.js";

export function encodePath(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined || value === null || value === "") {
      throw new ConfigurationError(`path parameter ${i + 1} of ${strings.join("{}")} is empty`);
    }
    const text = String(value);
    out += text === "." || text === ".." ? text.replace(/\./g, "%2E") : encodeURIComponent(text);
    out += strings[i + 1] ?? "";
  }
  return out;
}
