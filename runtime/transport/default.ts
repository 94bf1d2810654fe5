/**
 * The transport a client uses when none is given: undici on Node (loaded on first use, so bundles for
 * other runtimes need not resolve it), the Fetch API everywhere else.
 */
import { fetchTransport } from "./fetch.js";
import type { Transport } from "./transport.js";

let nodeTransport: Promise<Transport> | undefined;

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
}

export function defaultTransport(): Transport {
  if (!isNode()) return fetchTransport();
  let resolved: Transport | undefined;
  return (request) => {
    if (resolved) return resolved(request);
    nodeTransport ??= import("./undici.js").then((m) => m.undiciTransport());
    return nodeTransport.then((transport) => (resolved = transport)(request));
  };
}
