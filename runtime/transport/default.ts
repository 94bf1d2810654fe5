/**
 * The transport a client uses when none is given: undici on Node (loaded on first use, so bundles for
 * other runtimes need not resolve it), the Fetch API everywhere else, and on Node too when the
 * environment says SWITCHBOARD_TRANSPORT=fetch (for tests that intercept fetch: nock, MSW).
 */
import { fetchTransport } from "./fetch.js";
import type { Transport } from "./transport.js";

let nodeTransport: Promise<Transport> | undefined;

type NodeProcess = { versions?: { node?: string }; env?: Record<string, string | undefined> };
const nodeProcess = () => (globalThis as { process?: NodeProcess }).process;

function isNode(): boolean {
  return typeof nodeProcess()?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
}

/** The global fetch as it is when each request is sent, so that one patched later (nock, MSW) is used. */
const lateFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

export function defaultTransport(): Transport {
  if (!isNode() || nodeProcess()?.env?.["SWITCHBOARD_TRANSPORT"] === "fetch") return fetchTransport(lateFetch);
  let resolved: Transport | undefined;
  return (request) => {
    if (resolved) return resolved(request);
    nodeTransport ??= import("./undici.js").then((m) => m.undiciTransport());
    return nodeTransport.then((transport) => (resolved = transport)(request));
  };
}
