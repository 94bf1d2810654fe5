/** A transport on the Fetch API: for browsers, workers, edge runtimes, Deno and Bun. */
import type { BodyStream, Transport } from "./transport.js";

export function fetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  if (typeof fetchImpl !== "function") throw new TypeError("fetchTransport: no fetch implementation");
  return async (request) => {
    const timeout = request.timeoutMs === undefined ? undefined : attemptTimer(request.timeoutMs, request.streamWhen !== undefined);
    const signal = timeout && request.signal ? AbortSignal.any([request.signal, timeout.signal]) : (timeout?.signal ?? request.signal);
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        ...(signal && { signal }),
      });
      if (response.body && request.streamWhen?.(response.status, response.headers)) {
        timeout?.stop();
        return { status: response.status, headers: response.headers, body: "", stream: bodyStream(response.body) };
      }
      const body = await response.text();
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      if (timeout?.signal.aborted && !request.signal?.aborted)
        throw Object.assign(new Error("attempt timed out"), { code: "TIMEOUT", cause: error });
      throw error;
    } finally {
      timeout?.stop();
    }
  };
}

/**
 * The attempt's time limit as a signal: AbortSignal.timeout, or for a request that may be answered with a
 * stream a timer of our own, which the stream stops at the headers.
 */
function attemptTimer(ms: number, stoppable: boolean): { readonly signal: AbortSignal; stop(): void } {
  if (!stoppable) return { signal: AbortSignal.timeout(Math.max(1, ms)), stop() {} };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("attempt timed out", "TimeoutError")), Math.max(1, ms));
  return { signal: controller.signal, stop: () => clearTimeout(timer) };
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
