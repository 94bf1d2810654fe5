/**
 * An incremental parser of server-sent events as the WHATWG HTML standard defines the format
 * (section 9.2.6, "Interpreting an event stream"): bytes go in as they arrive, split anywhere (inside a
 * line, between CR and LF, inside a UTF-8 sequence), and each complete event comes out once its blank
 * line has arrived.
 *
 * - UTF-8, one leading byte order mark skipped; invalid sequences become U+FFFD.
 * - Lines end in CRLF, LF or CR.
 * - `data:` lines are joined with LF; `event:` names the event (else "message"); `id:` sets the last
 *   event id, which later events keep until another `id:` (one holding NUL is ignored); `retry:` of ASCII
 *   digits sets the reconnection time; a line starting with `:` is a comment; other fields are ignored;
 *   one space after the colon is dropped.
 * - An event with no data is not dispatched; an event cut off by the end of the stream is discarded.
 *
 * Memory is bounded: a line, or one event's data, longer than `maxLineLength` characters throws a
 * StreamProtocolError instead of growing the buffer.
 */
import { StreamProtocolError } from "../errors/errors.js";

export interface SseEvent {
  /** The `event:` field; "message" when the event has none. */
  readonly event: string;
  /** The `data:` lines joined with LF. */
  readonly data: string;
  /** The last event id at this event ("" when none was ever sent). */
  readonly id: string;
  /** The reconnection time in ms, when the stream has set one. */
  readonly retry: number | undefined;
}

export interface StreamParserOptions {
  /** The provider's name, for error messages. @default "stream" */
  readonly provider?: string;
  /** Longest line (and, for SSE, longest data of one event) in characters. @default 4 MiB */
  readonly maxLineLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 4 * 1024 * 1024;

/**
 * Splits decoded text into lines (CRLF, LF or CR), keeping the unfinished last line between chunks and
 * a CR that ended a chunk (its LF may start the next one). Shared by the SSE and NDJSON parsers.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder("utf-8");
  readonly #limit: number;
  readonly #provider: string;
  #pending = "";
  #afterCr = false;

  constructor(options: StreamParserOptions = {}) {
    this.#limit = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.#provider = options.provider ?? "stream";
  }

  /** Calls `line` for each line the chunk completes. */
  push(chunk: Uint8Array | string, line: (text: string) => void): void {
    this.#split(typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true }), line);
  }

  /** The end of the stream: the decoder is flushed; returns the unterminated last line, if any. */
  end(line: (text: string) => void): string | undefined {
    this.#split(this.#decoder.decode(), line);
    const rest = this.#pending;
    this.#pending = "";
    return rest === "" ? undefined : rest;
  }

  tooLong(what: string): StreamProtocolError {
    return new StreamProtocolError(this.#provider, "line_too_long", `${what} is longer than ${this.#limit} characters`);
  }

  get limit(): number {
    return this.#limit;
  }

  #split(text: string, line: (text: string) => void): void {
    let start = 0;
    if (this.#afterCr && text.length > 0) {
      this.#afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const piece = text.slice(start, i);
      const whole = this.#pending === "" ? piece : this.#pending + piece;
      this.#pending = "";
      if (whole.length > this.#limit) throw this.tooLong("a line");
      line(whole);
      if (c === 13) {
        if (i + 1 === text.length) this.#afterCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    if (start < text.length) {
      if (this.#pending.length + text.length - start > this.#limit) throw this.tooLong("a line");
      this.#pending += text.slice(start);
    }
  }
}

export class SseParser {
  readonly #lines: LineSplitter;
  #data = "";
  #hasData = false;
  #event = "";
  #id = "";
  #retry: number | undefined;
  #out: SseEvent[] = [];
  readonly #onLine = (line: string): void => this.#line(line);

  constructor(options: StreamParserOptions = {}) {
    this.#lines = new LineSplitter(options);
  }

  /** The events this chunk completes, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    this.#lines.push(chunk, this.#onLine);
    return this.#take();
  }

  /** The end of the stream: the events still completed by the decoder's last characters (an unfinished one is discarded). */
  end(): SseEvent[] {
    this.#lines.end(this.#onLine);
    return this.#take();
  }

  #take(): SseEvent[] {
    const out = this.#out;
    if (out.length > 0) this.#out = [];
    return out;
  }

  #line(line: string): void {
    if (line === "") {
      if (this.#hasData)
        this.#out.push({ event: this.#event === "" ? "message" : this.#event, data: this.#data, id: this.#id, retry: this.#retry });
      this.#data = "";
      this.#hasData = false;
      this.#event = "";
      return;
    }
    const colon = line.indexOf(":");
    if (colon === 0) return;
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        if (this.#hasData) {
          if (this.#data.length + 1 + value.length > this.#lines.limit) throw this.#lines.tooLong("an event's data");
          this.#data += "\n" + value;
        } else {
          this.#data = value;
          this.#hasData = true;
        }
        return;
      case "event":
        this.#event = value;
        return;
      case "id":
        if (!value.includes("\u0000")) this.#id = value;
        return;
      case "retry":
        if (/^[0-9]+$/.test(value)) this.#retry = Number(value);
        return;
      default:
        return;
    }
  }
}
