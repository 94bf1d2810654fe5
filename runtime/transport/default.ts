/**
 * The transport a client uses when none is given: undici on Node, the Fetch API everywhere else.
 *
 * undici is loaded on the first request, through the package's own `@switchboard/runtime/undici` entry
 * named by a variable: bundlers do not follow an import whose specifier is not a literal, so an
 * application's bundle neither carries the undici transport nor imports undici (bundles for Workers,
 * Deno or browsers need not resolve it). When that import fails on Node (a bundle deployed without
 * node_modules), the client falls back to the Fetch API, which Node 20 has.
 */
import { fetchTransport } from "./fetch.js";
import type { Transport } from "./transport.js";

let nodeTransport: Promise<Transport> | undefined;

/** A variable, not a literal: see above. */
const undiciEntry = "@switchboard/runtime/undici";

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
}

function loadNodeTransport(): Promise<Transport> {
  return (import(undiciEntry) as Promise<typeof import("../undici.js")>).then(
    (entry) => entry.undiciTransport(),
    () => fetchTransport(),
  );
}

export function defaultTransport(): Transport {
  if (!isNode()) return fetchTransport();
  let resolved: Transport | undefined;
  return (request) => {
    if (resolved) return resolved(request);
    nodeTransport ??= loadNodeTransport();
    return nodeTransport.then((transport) => (resolved = transport)(request));
  };
}
