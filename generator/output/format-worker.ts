/** A formatting thread for format.ts: formats each text it is sent and sends the result back. */
import { parentPort } from "node:worker_threads";
import { formatTypeScript } from "./format.js";

parentPort?.on("message", (text: string) => {
  formatTypeScript(text).then(
    (formatted) => parentPort!.postMessage({ text: formatted }),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
