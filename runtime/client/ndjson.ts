/**
 * An incremental parser of newline-delimited JSON (one JSON value per line; LF, CRLF or CR ends a line;
 * blank lines are skipped; a last line without its newline still counts). Chunks may split anywhere,
 * inside a UTF-8 sequence too. A line longer than `maxLineLength` characters, or one that is not JSON,
 * throws a StreamProtocolError.
 */
import { StreamProtocolError } from "../errors/errors.js";
import { LineSplitter, type StreamParserOptions } from "./sse.js";

export class NdjsonParser {
  readonly #lines: LineSplitter;
  readonly #provider: string;
  #out: unknown[] = [];
  readonly #onLine = (line: string): void => this.#line(line);

  constructor(options: StreamParserOptions = {}) {
    this.#lines = new LineSplitter(options);
    this.#provider = options.provider ?? "stream";
  }

  /** The values this chunk completes, in order. */
  push(chunk: Uint8Array | string): unknown[] {
    this.#lines.push(chunk, this.#onLine);
    return this.#take();
  }

  /** The end of the stream: the last line, when it had no newline. */
  end(): unknown[] {
    const rest = this.#lines.end(this.#onLine);
    if (rest !== undefined) this.#line(rest);
    return this.#take();
  }

  #take(): unknown[] {
    const out = this.#out;
    if (out.length > 0) this.#out = [];
    return out;
  }

  #line(line: string): void {
    if (line.trim() === "") return;
    try {
      this.#out.push(JSON.parse(line) as unknown);
    } catch (error) {
      throw new StreamProtocolError(this.#provider, "invalid_json", "a line of the NDJSON stream is not JSON", { cause: error });
    }
  }
}
