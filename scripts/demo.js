/**
 * `npm run demo`: bundles examples/demo.ts (the examples and the generated clients they use) with esbuild
 * into dist/examples/demo.js, packages left external (`switchboard/testing` and `@switchboard/runtime`
 * resolve to the built dist/ and runtime/dist/: `npm run demo` builds first), then runs the examples
 * against their mocks. Arguments name the examples to run; none: all. No network.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(root, "dist", "examples", "demo.js");
await build({
  entryPoints: [path.join(root, "examples", "demo.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
process.chdir(root); // the examples read specs/<provider>.yaml from the working folder
const { runDemo } = await import(pathToFileURL(outfile).href);
process.exitCode = (await runDemo(process.argv.slice(2))) > 0 ? 1 : 0;
