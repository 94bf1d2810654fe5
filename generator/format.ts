/** Stage 5, format: prettier with fixed options, so output never depends on the user's config. */
import { format } from "prettier";

export const PRETTIER_OPTIONS = { parser: "typescript", printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const;

export async function formatTypeScript(text: string): Promise<string> {
  return format(text, PRETTIER_OPTIONS);
}
