/** A transport on the Fetch API: for browsers, workers, edge runtimes, Deno and Bun. */
import type { Transport } from "./transport.js";

export function fetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  if (typeof fetchImpl !== "function") throw new TypeError("fetchTransport: no fetch implementation");
  return async (request) => {
    const timeout = request.timeoutMs === undefined ? undefined : AbortSignal.timeout(Math.max(1, request.timeoutMs));
    const signal = timeout && request.signal ? AbortSignal.any([request.signal, timeout]) : (timeout ?? request.signal);
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        ...(signal && { signal }),
      });
      const body = await response.text();
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      if (timeout?.aborted && !request.signal?.aborted)
        throw Object.assign(new Error("attempt timed out"), { code: "TIMEOUT", cause: error });
      throw error;
    }
  };
}
