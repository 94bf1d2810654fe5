/** A formatting thread for format.ts: formats each text it is sent with prettier and sends the result back. */
import { parentPort } from "node:worker_threads";
import { prettierFormat } from "./format.js";

parentPort?.on("message", (text: string) => {
  prettierFormat(text).then(
    (formatted) => parentPort!.postMessage({ text: formatted }),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
