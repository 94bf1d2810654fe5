/**
 * Every bare specifier a built module reaches through its static and dynamic imports (relative imports
 * followed, and a package's own "#..." imports as Node resolves them: their "default" target).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** The file Node loads for a "#..." import of `file`'s package (the nearest package.json's imports, "default"). */
function packageImport(file: string, specifier: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = resolve(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const target = (JSON.parse(readFileSync(manifest, "utf8")) as { imports?: Record<string, string | { default?: string }> }).imports?.[
      specifier
    ];
    const path = typeof target === "string" ? target : target?.default;
    return path === undefined ? undefined : resolve(dir, path);
  }
  return undefined;
}

export function externalImports(root: string, entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)|(?:^|\n)\s*import\s+"([^"]+)"/g,
    )) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      const own = specifier.startsWith("#") ? packageImport(file, specifier) : undefined;
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else if (own !== undefined) visit(own);
      else external.add(specifier);
    }
  };
  visit(resolve(root, entry));
  return external;
}
