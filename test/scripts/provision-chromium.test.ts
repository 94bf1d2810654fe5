import { writeFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureChromium } from "../../scripts/provision-chromium.js";

let dir: string;
let executable: string;
let calls: string[][];
let logs: string[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "switchboard-chromium-"));
  executable = path.join(dir, "chromium");
  calls = [];
  logs = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const log = (line: string) => void logs.push(line);

describe("npm test's Chromium provisioning (pretest)", () => {
  it("does nothing when Chromium is there", async () => {
    await writeFile(executable, "");
    expect(ensureChromium({ executable, uid: 0, hasAptGet: true, install: (a) => (calls.push([...a]), 0), log })).toBe("present");
    expect(calls).toEqual([]);
  });

  it("installs the Debian package as root with apt-get", () => {
    const install = (args: readonly string[]) => {
      calls.push([...args]);
      if (args[0] === "install") writeFileSync(executable, "");
      return 0;
    };
    expect(ensureChromium({ executable, uid: 0, hasAptGet: true, install, log })).toBe("installed");
    expect(calls).toEqual([["update"], ["install", "-y", "--no-install-recommends", "chromium"]]);
    expect(logs).toEqual([`${executable} is missing; installing the Debian package chromium (apt-get)`]);
  });

  it("fails with one line saying what to install when it may not install", () => {
    const attempt = () => ensureChromium({ executable, uid: 1000, hasAptGet: true, install: (a) => (calls.push([...a]), 0), log });
    expect(attempt).toThrow(
      `the browser test needs Chromium at ${executable}: run 'sudo apt-get install -y chromium' (or npm test as root), then run npm test again`,
    );
    expect(calls).toEqual([]);
    expect(() => ensureChromium({ executable, uid: 0, hasAptGet: false, log })).toThrow(
      /^the browser test needs Chromium at .*: install Chromium there/,
    );
  });

  it("fails with one line when apt-get fails or installs nothing there", () => {
    expect(() => ensureChromium({ executable, uid: 0, hasAptGet: true, install: () => 100, log })).toThrow(
      /'apt-get install chromium' failed/,
    );
    expect(() => ensureChromium({ executable, uid: 0, hasAptGet: true, install: () => 0, log })).toThrow(
      /'apt-get install chromium' failed/,
    );
  });
});
