/** A streamed answer's declared events as a source: names sorted, each schema located in its document. */
import type { SchemaLocation } from "../schema-to-ts/index.js";
import { sortedKeys } from "../../common/sort.js";
import type { SpecStream } from "../../validate/spec-types.js";
import type { StreamSource } from "./sources.js";

/** A stream's declared events, each schema located at `stream.events.<name>.schema` under `at`. */
export function streamSource(stream: SpecStream, at: SchemaLocation): StreamSource {
  if (stream.events === undefined) return { spec: stream };
  const events = sortedKeys(stream.events).map((name) => {
    const event = stream.events![name]!;
    return {
      name,
      ...(event.description !== undefined && { description: event.description }),
      ...(event.schema !== undefined && {
        schema: { schema: event.schema, location: { document: at.document, path: [...at.path, "events", name, "schema"] } },
      }),
    };
  });
  return { spec: stream, events };
}
