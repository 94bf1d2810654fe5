/**
 * The Node transport: undici's `request` API over a keep-alive pool. The attempt timeout is one native
 * timer per attempt that aborts the request wherever it is (connecting, waiting for headers, reading
 * the body), so it bounds the whole attempt at the timer's precision. undici's own headers and body
 * timeouts are not used for this: they run on its coarse timers (about one second) and the body
 * timeout is an idle timeout, which a body that trickles in never trips. On Node 20, on loopback with
 * 32 concurrent callers, it serves about 1.2x the requests per second of a keep-alive `node:http`
 * agent and about 3x those of the global `fetch` (bench/overhead measures all three in the same run).
 */
import { Agent, request as undiciRequest, type Dispatcher } from "undici";
import type { BodyStream, ResponseHeaders, Transport, TransportRequest, TransportResponse } from "./transport.js";

export interface UndiciTransportOptions {
  /** A dispatcher of your own (proxy agent, mock pool in tests). @default a keep-alive Agent */
  readonly dispatcher?: Dispatcher;
  /** Sockets per origin for the default Agent. @default 128 */
  readonly connections?: number;
}

export function undiciTransport(options: UndiciTransportOptions = {}): Transport & { close(): Promise<void> } {
  const own = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 10_000 });
  const send = async (request: TransportRequest): Promise<TransportResponse> => {
    const limit = new AttemptLimit(request.timeoutMs, request.signal);
    try {
      // One object literal of one shape on every call (null for what is absent): no spreads to build it.
      const response = await undiciRequest(request.url, {
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body ?? null,
        // undici reads a signal through aborted, reason and add/removeEventListener only.
        signal: limit as unknown as AbortSignal,
        headersTimeout: null,
        bodyTimeout: null,
        dispatcher,
      });
      const headers = new PlainHeaders(response.headers);
      if (request.streamWhen?.(response.statusCode, headers)) {
        // The attempt ends at the headers: the stream's reader bounds what follows (idle timeout, abort).
        limit.dispose();
        const body = response.body;
        const stream: BodyStream = {
          [Symbol.asyncIterator]: () => body[Symbol.asyncIterator](),
          cancel: (reason) => body.destroy(asError(reason)),
        };
        return { status: response.statusCode, headers, body: "", stream };
      }
      const body = await response.body.text();
      return { status: response.statusCode, headers, body };
    } catch (error) {
      throw limit.timedOut ? limit.reason : error;
    } finally {
      limit.dispose();
    }
  };
  return Object.assign(send, {
    // A dispatcher the caller gave stays theirs to close.
    close: (): Promise<void> => (own ? dispatcher.close() : Promise.resolve()),
  });
}

/**
 * The least of an AbortSignal that undici reads (aborted, reason, one abort listener), aborted by the
 * attempt's timer or by the caller's signal. A real AbortController and its EventTarget cost several
 * microseconds per attempt; this costs a timer.
 */
class AttemptLimit {
  aborted = false;
  reason: unknown = undefined;
  timedOut = false;
  #listener: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort: (() => void) | undefined;

  constructor(timeoutMs: number | undefined, outer: AbortSignal | undefined) {
    if (timeoutMs !== undefined) {
      const ms = Math.max(1, timeoutMs);
      this.#timer = setTimeout(() => {
        this.timedOut = true;
        this.#abort(Object.assign(new Error(`attempt timed out after ${ms} ms`), { code: "TIMEOUT" }));
      }, ms);
    }
    if (outer) {
      if (outer.aborted) {
        this.aborted = true;
        this.reason = outer.reason;
      } else {
        this.#outer = outer;
        this.#onOuterAbort = () => this.#abort(outer.reason);
        outer.addEventListener("abort", this.#onOuterAbort, { once: true });
      }
    }
  }

  addEventListener(_type: "abort", listener: () => void): void {
    this.#listener = listener;
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    if (this.#listener === listener) this.#listener = undefined;
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onOuterAbort) this.#outer!.removeEventListener("abort", this.#onOuterAbort);
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }
}

function asError(reason: unknown): Error | undefined {
  return reason === undefined || reason instanceof Error ? reason : new Error(String(reason));
}

/** undici hands back lower-case names in a plain object; reading it costs less than building Headers. */
class PlainHeaders implements ResponseHeaders {
  readonly #raw: Readonly<Record<string, string | string[] | undefined>>;
  constructor(raw: Readonly<Record<string, string | string[] | undefined>>) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
}
