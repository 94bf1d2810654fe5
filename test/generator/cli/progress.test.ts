import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { progressText } from "../../../generator/cli/progress.js";

const repo = path.resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);
const ERASE = "\r\u001b[K";

async function cli(cwd: string, stderrIsTTY: boolean, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stderrIsTTY, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Run times are the only part of stdout that differs between two runs. */
const untimed = (text: string) => text.replace(/\d+ ms/g, "N ms");

const folders: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "switchboard-progress-"));
  folders.push(dir);
  for (const spec of ["stripe.yaml", "resend.yaml"]) await cp(path.join(repo, "specs", spec), path.join(dir, "specs", spec));
  return dir;
}
let work: string;
beforeEach(async () => {
  work = await folder();
});
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("generate progress", () => {
  it("on a terminal: one stderr line per stage, rewritten in place and erased at the end; stdout as without one", async () => {
    const tty = await cli(work, true, "generate");
    expect(tty.code).toBe(0);
    const frames = tty.stderr.split(ERASE);
    expect(frames[0]).toBe("");
    expect(frames.at(-1)).toBe(""); // erased: what follows starts on a clean line
    expect(frames.slice(1, -1)).toEqual([
      "[1/2] loading specs/resend.yaml",
      "[2/2] loading specs/stripe.yaml",
      expect.stringMatching(/^\[1\/2\] resend: emitting \d+ operations$/),
      expect.stringMatching(/^\[1\/2\] resend: formatting \d+ files$/),
      "[2/2] stripe: emitting 35 operations",
      "[2/2] stripe: formatting 17 files",
    ]);
    const plain = await cli(await folder(), false, "generate");
    expect(plain.stderr).toBe("");
    expect(untimed(plain.stdout)).toBe(untimed(tty.stdout));
  });

  it("`generate --check` prints the same stdout on a terminal and off one, and no progress when nothing is regenerated", async () => {
    expect((await cli(work, false, "generate")).code).toBe(0);
    const tty = await cli(work, true, "generate", "--check");
    const plain = await cli(work, false, "generate", "--check");
    expect(tty.stderr).toBe("");
    expect(plain.stderr).toBe("");
    expect(untimed(tty.stdout)).toBe(untimed(plain.stdout));
    const forcedTty = await cli(work, true, "generate", "--check", "--force");
    const forcedPlain = await cli(work, false, "generate", "--check", "--force");
    expect(forcedPlain.stderr).toBe("");
    expect(forcedTty.stderr).toContain(`${ERASE}[2/2] stripe: emitting 35 operations`);
    expect(untimed(forcedTty.stdout)).toBe(untimed(forcedPlain.stdout));
  });

  it("groups thousands in counts", () => {
    expect(progressText({ index: 2, total: 11, name: "github", stage: "emitting", count: 1223 })).toBe(
      "[3/11] github: emitting 1,223 operations",
    );
  });

  it("bin/switchboard.js writes nothing to a piped stderr, and shows progress on a pseudo-terminal", async () => {
    const bin = path.join(repo, "bin", "switchboard.js");
    const piped = await run(process.execPath, [bin, "generate"], { cwd: work });
    expect(piped.stderr).toBe("");
    // util-linux `script` gives the command a pseudo-terminal (its stdout and stderr both).
    if (!existsSync("/usr/bin/script")) return expect.fail("util-linux `script` is needed for the pseudo-terminal case");
    const pty = await run("/usr/bin/script", ["-qec", `${process.execPath} ${bin} generate --force`, "/dev/null"], { cwd: work });
    expect(pty.stdout).toContain(`${ERASE}[2/2] stripe: formatting 17 files`);
    expect(pty.stdout).toMatch(/stripe: 35 operations/);
  });
});
