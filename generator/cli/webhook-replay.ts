/**
 * `switchboard webhook replay`: lists the dead letters of a webhook inbox, or queues them again. A thin
 * shell over `listDeadLetters` / `replayDeadLetters` of `@switchboard/runtime/webhooks/inbox`; the inbox
 * is the SQLite file or the Redis inbox the application's workers use. Nothing of an event's payload is
 * printed, nor the Redis URL (it may carry a password).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import type { DeadLetter, WebhookInbox } from "@switchboard/runtime/webhooks/inbox";
import type { WebhookCliIo } from "./webhook.js";

export const WEBHOOK_REPLAY_HELP = `Usage: switchboard webhook replay INBOX [--json]              list the dead letters
       switchboard webhook replay INBOX ID [ID...]            queue these dead letters again
       switchboard webhook replay INBOX --all                 queue every dead letter again

INBOX is one of:
  --sqlite FILE       the SQLite inbox file (SqliteInbox's path)
  --redis URL         a Redis inbox (RedisInbox); the URL may also come from SWITCHBOARD_REDIS_URL
    --name NAME       the inbox's name (default: webhooks)
    --prefix P        its key prefix (default: switchboard:inbox:)

A replayed event starts again with fresh attempts, behind every event stored before the replay. The
list shows each dead letter's id, attempts, when it failed, its order key, its type and the last error;
--json prints the same as JSON. Exits 1 when an ID is not a dead letter.

Options:
  --json              Print JSON
  -h, --help          Show this help
`;

class ReplayUsageError extends Error {}

const OPTIONS = {
  sqlite: { type: "string" },
  redis: { type: "string" },
  name: { type: "string" },
  prefix: { type: "string" },
  all: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function webhookReplayCommand(args: readonly string[], io: WebhookCliIo): Promise<number> {
  try {
    return await run(args, io);
  } catch (error) {
    if (!(error instanceof ReplayUsageError)) throw error;
    io.stderr(`switchboard: ${error.message}\n\n${WEBHOOK_REPLAY_HELP}`);
    return 2;
  }
}

async function run(args: readonly string[], io: WebhookCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ReplayUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals: ids } = parsed;
  if (values.help) {
    io.stdout(WEBHOOK_REPLAY_HELP);
    return 0;
  }
  if (values.all && ids.length > 0) throw new ReplayUsageError("pass ids or --all, not both");
  const { inbox, close } = await openInbox(values, io);
  try {
    const { listDeadLetters, replayDeadLetters } = await import("@switchboard/runtime/webhooks/inbox");
    if (!values.all && ids.length === 0) {
      const letters = await listDeadLetters(inbox);
      if (values.json) io.stdout(`${JSON.stringify(letters.map(summary), null, 2)}\n`);
      else if (letters.length === 0) io.stdout("no dead letters\n");
      else for (const letter of letters.map(summary)) io.stdout(`${Object.values(letter).join("\t")}\n`);
      return 0;
    }
    const result = await replayDeadLetters(inbox, values.all ? "all" : ids);
    if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else {
      io.stdout(
        `replayed ${result.replayed.length} dead letter${result.replayed.length === 1 ? "" : "s"}${result.replayed.length > 0 ? `: ${result.replayed.join(" ")}` : ""}\n`,
      );
      if (result.notFound.length > 0) io.stderr(`switchboard: not dead letters: ${result.notFound.join(" ")}\n`);
    }
    return result.notFound.length > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

/** What the list shows of a dead letter: never the payload. */
function summary(letter: DeadLetter): Record<string, string | number> {
  let type = "";
  try {
    const event = JSON.parse(letter.event) as { type?: unknown };
    if (typeof event.type === "string") type = event.type;
  } catch {
    // an unreadable event still lists
  }
  return {
    id: letter.id,
    attempts: letter.attempts,
    failedAt: new Date(letter.failedAt).toISOString(),
    orderKey: letter.orderKey ?? "",
    type,
    error: letter.error.replace(/\s+/g, " "),
  };
}

async function openInbox(
  values: { sqlite?: string; redis?: string; name?: string; prefix?: string },
  io: WebhookCliIo,
): Promise<{ inbox: WebhookInbox; close: () => Promise<void> | void }> {
  const redisUrl = values.redis ?? (values.sqlite === undefined ? (io.env ?? process.env)["SWITCHBOARD_REDIS_URL"] : undefined);
  if (values.sqlite !== undefined && values.redis !== undefined) throw new ReplayUsageError("pass --sqlite or --redis, not both");
  if (values.sqlite === undefined && redisUrl === undefined)
    throw new ReplayUsageError("webhook replay needs an inbox: --sqlite FILE or --redis URL");
  if (values.sqlite !== undefined) {
    if (values.name !== undefined || values.prefix !== undefined) throw new ReplayUsageError("--name and --prefix go with --redis");
    const file = path.resolve(io.cwd, values.sqlite);
    const { existsSync } = await import("node:fs");
    if (!existsSync(file)) throw new ReplayUsageError(`no inbox file ${values.sqlite}`);
    const { SqliteInbox } = await loadPeer(() => import("@switchboard/runtime/webhooks/inbox/sqlite"), "better-sqlite3");
    const inbox = new SqliteInbox({ path: file });
    return { inbox, close: () => inbox.close() };
  }
  const { Redis } = await loadPeer(() => import("ioredis"), "ioredis");
  const { RedisInbox } = await import("@switchboard/runtime/webhooks/inbox/redis");
  const client = new Redis(redisUrl!, { enableOfflineQueue: true, maxRetriesPerRequest: 1, lazyConnect: true });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch {
    client.disconnect();
    throw new ReplayUsageError("cannot connect to the Redis inbox (the URL is not printed: it may hold a password)");
  }
  const inbox = new RedisInbox({
    client,
    timeoutMs: 10_000,
    ...(values.name !== undefined && { name: values.name }),
    ...(values.prefix !== undefined && { prefix: values.prefix }),
  });
  return { inbox, close: async () => void (await client.quit()) };
}

/** An optional peer dependency, or a usage error that names the package to install. */
async function loadPeer<T>(load: () => Promise<T>, name: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND")
      throw new ReplayUsageError(`this inbox needs the package ${name}: npm install ${name}`);
    throw error;
  }
}
