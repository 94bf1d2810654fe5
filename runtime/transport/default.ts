/**
 * The transport a client uses when none is given: undici on Node (loaded on first use, so bundles for
 * other runtimes need not resolve it), the Fetch API everywhere else.
 */
import { fetchTransport } from "./fetch.js";
import type { Transport } from "./transport.js";

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
}

/** One undici pool per client (closed with the client), created on the first request. */
export function defaultTransport(): Transport {
  if (!isNode()) return fetchTransport();
  let resolved: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  const send: Transport = (request) => {
    if (resolved) return resolved(request);
    loading ??= import("./undici.js").then((m) => (resolved = m.undiciTransport()));
    return loading.then((transport) => transport(request));
  };
  send.close = async () => {
    const transport = resolved ?? (loading && (await loading));
    await transport?.close?.();
  };
  return send;
}
