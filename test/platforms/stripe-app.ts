/** The scenario (scenario-app.ts) as a command for Bun and Deno: one JSON argument in, one JSON line out. */
import { runScenario, type ScenarioInput } from "./scenario-app.js";

const argv = (globalThis as { process?: { argv: string[] } }).process?.argv ?? [];
console.log(JSON.stringify(await runScenario(JSON.parse(argv.at(-1) ?? "{}") as ScenarioInput)));
