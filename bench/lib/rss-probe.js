/**
 * Preloaded into a measured child process (`node --import <this file's URL> ...`): at exit, writes the
 * process's peak resident set size in bytes (process.resourceUsage().maxRSS is in KiB) to the file named by
 * BENCH_RSS_FILE. Threads are included; processes the child spawns are not.
 */
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
