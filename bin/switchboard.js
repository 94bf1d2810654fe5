#!/usr/bin/env node
import { main } from "../dist/generator/cli/main.js";

// Ctrl-C ends `generate --watch` cleanly (its last run's exit code); a second one exits at once.
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"])
  process.once(signal, () => {
    stop.abort();
    process.once(signal, () => process.exit(130));
  });

process.exitCode = await main(process.argv.slice(2), {
  signal: stop.signal,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  readStdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks);
  },
});
