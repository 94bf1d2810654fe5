/** A transport on the Fetch API: for browsers, workers, edge runtimes, Deno and Bun. */
import type { Transport } from "./transport.js";

export function fetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  if (typeof fetchImpl !== "function") throw new TypeError("fetchTransport: no fetch implementation");
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      ...(request.signal && { signal: request.signal }),
    });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  };
}
