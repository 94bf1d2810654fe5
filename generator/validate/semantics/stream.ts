/**
 * operations.*.stream: a streamed answer is not also paged, its terminator fits its format, and no event
 * is declared that the stream can never yield (it is the terminator, or an error event).
 */
import { DiagnosticCode } from "../../diagnostics.js";
import type { PathSegment } from "../../parse/parse.js";
import { dict, list, str, type Dict, type Report } from "./read.js";

export function checkStream(op: Dict, base: PathSegment[], id: string, report: Report): void {
  const stream = dict(op["stream"]);
  if (!stream) return;
  const at = [...base, "stream"];
  if (op["pagination"] !== undefined) {
    report(
      at,
      DiagnosticCode.InconsistentSection,
      `operation "${id}" declares both pagination and a stream; an answer is one or the other`,
      {
        at: "key",
      },
    );
  }
  const done = dict(stream["done"]);
  if (done?.["data"] !== undefined && stream["format"] === "ndjson") {
    report(
      [...at, "done", "data"],
      DiagnosticCode.InconsistentSection,
      `done.data applies to server-sent events; an NDJSON stream ends at an event named by done.event`,
      { at: "key" },
    );
  }
  const events = dict(stream["events"]) ?? {};
  const never = new Map<string, string>();
  const doneEvent = str(done?.["event"]);
  if (doneEvent !== undefined) never.set(doneEvent, "it is the stream's terminator (done.event)");
  for (const rule of list(stream["errors"])) {
    const event = str(dict(rule)?.["event"]);
    if (event !== undefined && dict(rule)?.["has"] === undefined) never.set(event, "every such event is an error (errors)");
  }
  for (const name of Object.keys(events)) {
    const why = never.get(name);
    if (why !== undefined)
      report([...at, "events", name], DiagnosticCode.InconsistentSection, `event "${name}" is never yielded: ${why}`, {
        at: "key",
        severity: "warning",
      });
  }
}
