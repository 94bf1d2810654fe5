/** `switchboard webhook replay` on a SQLite inbox: list the dead letters, replay one, replay all, and its usage errors. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { SqliteInbox } from "../../../runtime/webhooks/inbox/sqlite-inbox.js";

const directory = mkdtempSync(path.join(tmpdir(), "switchboard-replay-cli-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd: directory, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} });
  return { code, stdout, stderr };
}

let file: string;
let files = 0;
beforeEach(async () => {
  file = `inbox-${files++}.db`;
  const inbox = new SqliteInbox({ path: path.join(directory, file), now: () => Date.UTC(2026, 0, 2) });
  for (const id of ["evt_1", "evt_2"]) {
    await inbox.enqueue({
      id,
      orderKey: `obj_${id}`,
      event: JSON.stringify({ type: "invoice.paid", id, payload: { secret: "s3cr3t" } }),
      receivedAt: 1,
    });
    inbox.claim({ token: id, leaseMs: 1000, maxAttempts: 3 });
    inbox.deadLetter(id, id, "Error: handler\nfailed");
  }
  inbox.close();
});

const counts = () => {
  const inbox = new SqliteInbox({ path: path.join(directory, file) });
  try {
    return inbox.counts();
  } finally {
    inbox.close();
  }
};

describe("switchboard webhook replay", () => {
  it("lists the dead letters, one per line, without their payloads", async () => {
    const result = await cli(["webhook", "replay", "--sqlite", file]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(
      "evt_1\t1\t2026-01-02T00:00:00.000Z\tobj_evt_1\tinvoice.paid\tError: handler failed\n" +
        "evt_2\t1\t2026-01-02T00:00:00.000Z\tobj_evt_2\tinvoice.paid\tError: handler failed\n",
    );
    expect(result.stdout).not.toContain("s3cr3t");
    const json = await cli(["webhook", "replay", "--sqlite", file, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: "evt_1", attempts: 1, type: "invoice.paid" }),
      expect.objectContaining({ id: "evt_2" }),
    ]);
  });

  it("replays the named dead letters; an id that is not one exits 1 and is named on stderr", async () => {
    const result = await cli(["webhook", "replay", "--sqlite", file, "evt_2", "evt_9"]);
    expect(result).toEqual({ code: 1, stdout: "replayed 1 dead letter: evt_2\n", stderr: "switchboard: not dead letters: evt_9\n" });
    expect(counts()).toMatchObject({ pending: 1, dead: 1 });
  });

  it("replays every dead letter with --all", async () => {
    const result = await cli(["webhook", "replay", "--sqlite", file, "--all"]);
    expect(result).toEqual({ code: 0, stdout: "replayed 2 dead letters: evt_1 evt_2\n", stderr: "" });
    expect(counts()).toMatchObject({ pending: 2, dead: 0 });
    expect((await cli(["webhook", "replay", "--sqlite", file])).stdout).toBe("no dead letters\n");
  });

  it.each([
    [["webhook", "replay"], "needs an inbox"],
    [["webhook", "replay", "--sqlite", "missing.db"], "no inbox file missing.db"],
    [["webhook", "replay", "--sqlite", "x.db", "--redis", "redis://127.0.0.1:1"], "not both"],
    [["webhook", "replay", "--sqlite", "x.db", "--all", "evt_1"], "ids or --all"],
    [["webhook", "replay", "--sqlite", "x.db", "--name", "n"], "--name and --prefix go with --redis"],
  ])("%j is a usage error (exit 2): %s", async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("never prints the Redis URL it could not connect to", async () => {
    const result = await cli(["webhook", "replay", "--redis", "redis://:hunter2@127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot connect to the Redis inbox");
    expect(result.stderr).not.toContain("hunter2");
  });
});
