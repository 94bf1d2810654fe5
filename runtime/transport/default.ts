/**
 * The transport a client uses when none is given: undici on Node, the Fetch API everywhere else, and on
 * Node too when the environment says SWITCHBOARD_TRANSPORT=fetch (for tests that intercept fetch: nock,
 * MSW), through the global fetch as it is at each request.
 *
 * undici is loaded on the first request, through the package's own `@switchboard/runtime/undici` entry
 * named by a variable: bundlers do not follow an import whose specifier is not a literal, so an
 * application's bundle neither carries the undici transport nor imports undici (bundles for Workers,
 * Deno or browsers need not resolve it). When that import fails on Node (a bundle deployed without
 * node_modules), the client falls back to the Fetch API, which Node 20 has.
 */
import { fetchTransport } from "./fetch.js";
import type { Transport } from "./transport.js";

/** A variable, not a literal: see above. */
const undiciEntry = "@switchboard/runtime/undici";

type NodeProcess = { versions?: { node?: string }; env?: Record<string, string | undefined> };
const nodeProcess = () => (globalThis as { process?: NodeProcess }).process;

function isNode(): boolean {
  return typeof nodeProcess()?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
}

/** The global fetch as it is when each request is sent, so that one patched later (nock, MSW) is used. */
const lateFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** undici through the package's own entry; fetch when that cannot be loaded (a bundle without node_modules). */
function loadNodeTransport(): Promise<Transport> {
  return (import(undiciEntry) as Promise<typeof import("../undici.js")>).then(
    (entry) => entry.undiciTransport(),
    () => fetchTransport(),
  );
}

/** One undici pool per client (closed with the client), created on the first request. */
export function defaultTransport(): Transport {
  if (!isNode() || nodeProcess()?.env?.["SWITCHBOARD_TRANSPORT"] === "fetch") return fetchTransport(lateFetch);
  let resolved: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  const send: Transport = (request) => {
    if (resolved) return resolved(request);
    loading ??= loadNodeTransport().then((transport) => (resolved = transport));
    return loading.then((transport) => transport(request));
  };
  send.close = async () => {
    const transport = resolved ?? (loading && (await loading));
    await transport?.close?.();
  };
  return send;
}
