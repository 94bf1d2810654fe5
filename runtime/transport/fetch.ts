/** A transport on the Fetch API: for browsers, workers, edge runtimes, Deno and Bun. */
import type { BodyStream, Transport } from "./transport.js";

export function fetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  if (typeof fetchImpl !== "function") throw new TypeError("fetchTransport: no fetch implementation");
  return async (request) => {
    // A timer of our own rather than AbortSignal.timeout: a streamed answer stops it at the headers.
    const timeout = request.timeoutMs === undefined ? undefined : new AbortController();
    const timer = timeout && setTimeout(() => timeout.abort(new Error("attempt timed out")), Math.max(1, request.timeoutMs!));
    const signal = timeout && request.signal ? AbortSignal.any([request.signal, timeout.signal]) : (timeout?.signal ?? request.signal);
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        ...(signal && { signal }),
      });
      if (response.body && request.streamWhen?.(response.status, response.headers)) {
        clearTimeout(timer);
        return { status: response.status, headers: response.headers, body: "", stream: bodyStream(response.body) };
      }
      const body = await response.text();
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      if (timeout?.signal.aborted && !request.signal?.aborted)
        throw Object.assign(new Error("attempt timed out"), { code: "TIMEOUT", cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

function bodyStream(body: ReadableStream<Uint8Array>): BodyStream {
  const reader = body.getReader();
  const cancel = (reason?: unknown): void => void reader.cancel(reason).catch(() => undefined);
  return {
    async *[Symbol.asyncIterator]() {
      let done = false;
      try {
        for (;;) {
          const next = await reader.read();
          if ((done = next.done)) return;
          yield next.value;
        }
      } finally {
        // Left before the end (break, an error): the rest is not wanted, and its connection is closed.
        if (!done) cancel();
      }
    },
    cancel,
  };
}
