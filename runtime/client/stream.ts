/**
 * What a generated streamed method returns: an async iterable of the operation's typed events, read
 * from a server-sent-events or NDJSON body as it arrives.
 *
 * - Establishing the stream is one call through the client's pipeline: rate limits, the circuit
 *   breaker, credentials, retries and the total timeout apply until the answer's headers are in. An
 *   error answer (a 4xx, or a JSON body instead of a stream) is read whole and normalized like any
 *   other. Nothing is retried once the stream is open: the provider has accepted the request.
 * - Once open, the stream has no total time limit (a long answer may take minutes); it ends with a
 *   TimeoutError of scope "idle" when no byte arrives for `timeout.idleMs` while the reader waits for
 *   one (time spent in the caller's loop body does not count).
 * - The caller's AbortSignal, `break`, `return()` or a thrown error in the loop stop reading and release
 *   the connection (a body left half-read closes its socket).
 * - An event the spec declares as an error ends the stream with the error the spec's rules make of it;
 *   a stream cut off (network) ends with a NetworkError, a broken one with a StreamProtocolError.
 */
import type { Clock } from "../clock.js";
import type { OperationDefinition, StreamDefinition } from "../definition.js";
import type { ErrorAnswer } from "../errors/error-normalizer.js";
import {
  ConfigurationError,
  isSwitchboardError,
  NetworkError,
  StreamProtocolError,
  TimeoutError,
  type ProviderError,
} from "../errors/errors.js";
import { readPath } from "../internal/json-path.js";
import type { BodyStream, ResponseHeaders } from "../transport/transport.js";
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  type ApiResponse,
  type ClientCore,
  type OperationCall,
  type RequestOptions,
  type TimeoutOptions,
} from "./client-core.js";
import type { ClientParts } from "./parts.js";
import { NdjsonParser } from "./ndjson.js";
import { SseParser, type SseEvent } from "./sse.js";

/** One event of a stream: its name, its data (typed per name by the spec) and its SSE id, if any. */
export interface StreamEvent<Name extends string = string, Data = unknown> {
  readonly event: Name;
  readonly data: Data;
  /** The SSE last event id ("id:"), undefined when the stream sends none (and for NDJSON). */
  readonly id: string | undefined;
}

/** The answer that opened a stream: status, headers and request id. */
export type StreamResponse = Omit<ApiResponse, "body">;

/** What the client core hands a stream (ClientCore.streamContext): how to open it and how to read errors. */
export interface StreamContext {
  readonly provider: string;
  readonly definition: StreamDefinition;
  readonly clock: Clock;
  /** Ends the stream when nothing arrives for this long while waiting; 0: never. */
  readonly idleMs: number;
  readonly signal: AbortSignal | undefined;
  /** Opens the stream: the call through the pipeline, resolving once the headers are in. */
  open(): Promise<ApiResponse>;
  /** The spec's error rules applied to an error event's data. */
  normalize(answer: ErrorAnswer): ProviderError;
}

/** Whether an answer is the stream itself: a 2xx that is not JSON (a JSON body is an error, or not a stream). */
export function isStreamAnswer(status: number, headers: ResponseHeaders): boolean {
  return status >= 200 && status < 300 && !/^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i.test(headers.get("content-type") ?? "");
}

/** A body a transport has already read whole, as a stream of one chunk. */
export function textStream(text: string): BodyStream {
  return {
    async *[Symbol.asyncIterator]() {
      if (text !== "") yield new TextEncoder().encode(text);
    },
    cancel() {},
  };
}

/** What a streamed call accepts: its stream's media type first (errors still come as JSON). */
export function streamAccept(stream: StreamDefinition): string {
  return stream.format === "sse" ? "text/event-stream, application/json" : "application/x-ndjson, application/json";
}

/**
 * A streamed call's context: its idle limit is the call's, else the client's `idleMs`, else the attempt
 * timeout (the call's, the client's, 60 s), as `TimeoutOptions.idleMs` documents.
 */
export type MakeStreamContext = (
  provider: string,
  operation: OperationDefinition,
  options: RequestOptions,
  clientTimeout: TimeoutOptions | undefined,
  clock: Clock,
  normalize: (answer: ErrorAnswer) => ProviderError,
  open: () => Promise<ApiResponse>,
) => StreamContext;

const streamContext: MakeStreamContext = (provider, operation, options, clientTimeout, clock, normalize, open) => {
  const definition = operation.stream;
  if (!definition) throw new ConfigurationError(`operation ${operation.id} declares no stream`);
  const idleMs =
    options.timeout?.idleMs ??
    clientTimeout?.idleMs ??
    options.timeout?.attemptMs ??
    clientTimeout?.attemptMs ??
    DEFAULT_ATTEMPT_TIMEOUT_MS;
  return { provider, definition, clock, idleMs, signal: options.signal, open, normalize };
};

/** The client part for a spec with streamed operations (./parts.ts): what the core does for a streamed call. */
export const streamedAnswers: ClientParts = {
  streams: { accept: streamAccept, isStream: isStreamAnswer, text: textStream, context: streamContext },
};

/**
 * What a generated streamed function returns: the operation's events, the stream opened when it is first
 * read (or by `withResponse()`). A standalone function, so only applications that stream bundle the reader.
 */
export function openStream<Event extends StreamEvent = StreamEvent>(
  client: ClientCore,
  operation: OperationDefinition,
  call: OperationCall,
  options?: RequestOptions,
): EventStream<Event> {
  return new EventStream<Event>(client.streamContext(operation, call, options));
}

const SKIP = Symbol("skip");
const DONE = Symbol("done");

export class EventStream<Event extends StreamEvent = StreamEvent> implements AsyncIterable<Event> {
  readonly #context: StreamContext;
  #response: Promise<ApiResponse> | undefined;
  #iterated = false;

  constructor(context: StreamContext) {
    this.#context = context;
  }

  /** The answer that opened the stream (sent now if the stream has not been read yet). */
  async withResponse(): Promise<StreamResponse> {
    const { status, headers, requestId } = await this.#open();
    return { status, headers, requestId };
  }

  /**
   * Closes the stream without reading (the rest of) it: for a stream opened by `withResponse()` whose
   * events are not wanted. A stream never opened sends nothing.
   */
  async cancel(): Promise<void> {
    const response = await this.#response?.catch(() => undefined);
    (response?.body as BodyStream | undefined)?.cancel();
  }

  /** Reads the stream; it can be read once. */
  [Symbol.asyncIterator](): AsyncIterator<Event> {
    if (this.#iterated) throw new ConfigurationError("a stream can be read once");
    this.#iterated = true;
    return this.#events();
  }

  get [Symbol.toStringTag](): string {
    return "EventStream";
  }

  #open(): Promise<ApiResponse> {
    this.#response ??= this.#context.open();
    return this.#response;
  }

  async *#events(): AsyncGenerator<Event, void, undefined> {
    const context = this.#context;
    const response = await this.#open();
    const body = response.body as BodyStream;
    const definition = context.definition;
    const options = {
      provider: context.provider,
      ...(definition.maxLineLength !== undefined && { maxLineLength: definition.maxLineLength }),
    };
    const sse = definition.format === "sse" ? new SseParser(options) : undefined;
    const ndjson = sse ? undefined : new NdjsonParser(options);
    let stopped: unknown;
    let finished = false;
    const stop = (reason: unknown): void => {
      if (stopped !== undefined) return;
      stopped = reason;
      body.cancel(reason);
    };
    const signal = context.signal;
    const onAbort = (): void => stop(signal!.reason);
    if (signal?.aborted) throw signal.reason;
    signal?.addEventListener("abort", onAbort, { once: true });
    const chunks = body[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        const disarm =
          context.idleMs > 0
            ? context.clock.setTimer(context.idleMs, () => stop(new TimeoutError(context.provider, "idle", context.idleMs)))
            : undefined;
        try {
          next = await chunks.next();
        } catch (error) {
          throw stopped ?? cutOff(context.provider, error);
        } finally {
          disarm?.();
        }
        if (stopped !== undefined) throw stopped;
        const last = next.done === true;
        const values = sse ? (last ? sse.end() : sse.push(next.value!)) : last ? ndjson!.end() : ndjson!.push(next.value!);
        for (const value of values) {
          const out = sse ? this.#sseEvent(response, value as SseEvent) : this.#handle(response, "message", value, undefined, undefined);
          // Whatever follows the terminator is not read: the body is cancelled below, as openai-node does.
          if (out === DONE) return;
          if (out !== SKIP) yield out;
          if (stopped !== undefined) throw stopped;
        }
        if (last) break;
      }
      finished = true;
      if (definition.done !== undefined)
        throw new StreamProtocolError(context.provider, "truncated", "the stream ended before its terminator");
    } catch (error) {
      if (isSwitchboardError(error) && error.outcome === undefined) {
        // The provider accepted the request: whatever it did is not known from here.
        Object.assign(error, { outcome: "unknown" });
      }
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (!finished) stop(new Error("the stream was left before its end"));
    }
  }

  #sseEvent(response: ApiResponse, event: SseEvent): Event | typeof SKIP | typeof DONE {
    const done = this.#context.definition.done;
    // The terminator is compared before the data is parsed: "[DONE]" is not JSON.
    if (done !== undefined && (done.event === event.event || done.data === event.data)) return DONE;
    return this.#handle(response, event.event, this.#data(event.data), event.data, event.id === "" ? undefined : event.id);
  }

  #data(text: string): unknown {
    if (this.#context.definition.data === "text") return text;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new StreamProtocolError(this.#context.provider, "invalid_json", "an event's data is not JSON", { cause: error });
    }
  }

  /** An event by its name (the data's `eventType` when the spec declares one): the terminator, an error, skipped or yielded. */
  #handle(
    response: ApiResponse,
    field: string,
    data: unknown,
    text: string | undefined,
    id: string | undefined,
  ): Event | typeof SKIP | typeof DONE {
    const definition = this.#context.definition;
    const typed = definition.eventType === undefined ? undefined : readPath(data, definition.eventType);
    const name = typeof typed === "string" ? typed : field;
    if (definition.done?.event !== undefined && definition.done.event === name) return DONE;
    for (const rule of definition.errors ?? []) {
      if (rule.event === undefined && rule.has === undefined) continue;
      if (rule.event !== undefined && rule.event !== name) continue;
      if (rule.has !== undefined && readPath(data, rule.has) === undefined) continue;
      const answer = { status: rule.status ?? response.status, headers: response.headers, body: data };
      throw this.#context.normalize(text === undefined ? answer : { ...answer, text });
    }
    if (definition.events !== undefined && !definition.events.includes(name)) return SKIP;
    return { event: name, data, id } as Event;
  }
}

/** The connection failed mid-stream. */
function cutOff(provider: string, error: unknown): NetworkError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const errorCode = typeof code === "string" ? code : undefined;
  return new NetworkError(provider, `the stream was cut off: ${errorCode ?? (error instanceof Error ? error.message : "network error")}`, {
    cause: error,
    ...(errorCode !== undefined && { errorCode }),
  });
}
