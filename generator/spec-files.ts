/** Which files in the specs folder are specs. Kept apart from generate.ts so the CLI can list them cheaply. */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { compareCodePoints } from "./common/sort.js";

/** Spec files (.yaml, .yml) directly in the folder, sorted. */
export async function findSpecs(specsDir: string): Promise<string[]> {
  const entries = await readdir(specsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(specsDir, e.name))
    .sort(compareCodePoints);
}
