/** webhooks: the signature format's fields fit its style, signed parts say where they come from, event types do not collide. */
import { DiagnosticCode } from "../../diagnostics.js";
import { eventTypeName, providerPascal } from "../../common/operation-names.js";
import type { PathSegment } from "../../parse/parse.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";
import { exampleKeyProblem } from "./webhook-keys.js";

const CONTENT_PARTS = new Set(["body", "timestamp", "id", "url", "method", "sortedFormParams"]);
const PUBLIC_KEY_ALGORITHMS = new Set(["ed25519", "ecdsa-p256-sha256"]);
const PUBLIC_KEY_ENCODINGS = new Set(["pem-public-key", "base64-spki", "hex-public-key", "jwk"]);
export function checkWebhooks(doc: Dict, report: Report): void {
  const webhooks = dict(doc["webhooks"]);
  const signature = dict(webhooks?.["signature"]);
  if (signature) {
    const base = ["webhooks", "signature"];
    const format = dict(signature["format"]);
    const style = format?.["style"];
    if (style === "keyValue" && format?.["signatureKey"] === undefined)
      report([...base, "format"], DiagnosticCode.InconsistentSection, `format style keyValue needs signatureKey (e.g. v1)`, { at: "key" });
    if (style === "versionedList" && format?.["version"] === undefined)
      report([...base, "format"], DiagnosticCode.InconsistentSection, `format style versionedList needs version (e.g. v1)`, { at: "key" });
    for (const key of ["prefix", "separator", "timestampKey", "signatureKey", "version"]) {
      const allowed =
        style === "single"
          ? ["prefix"]
          : style === "keyValue"
            ? ["separator", "timestampKey", "signatureKey"]
            : style === "versionedList"
              ? ["version"]
              : [key];
      if (format?.[key] !== undefined && !allowed.includes(key))
        report([...base, "format", key], DiagnosticCode.InconsistentSection, `${key} does not apply to format style ${String(style)}`, {
          at: "key",
        });
    }
    const hasTimestamp = signature["timestampHeader"] !== undefined || (style === "keyValue" && format?.["timestampKey"] !== undefined);
    list(signature["content"]).forEach((part, index) => {
      if (part === "timestamp" && !hasTimestamp)
        report(
          [...base, "content", index],
          DiagnosticCode.InconsistentSection,
          `the signed content uses the timestamp, but no timestampHeader or format.timestampKey says where it is`,
        );
      if (part === "id" && signature["idHeader"] === undefined)
        report(
          [...base, "content", index],
          DiagnosticCode.InconsistentSection,
          `the signed content uses the message id, but no idHeader says where it is`,
        );
    });
    if (signature["tolerance"] !== undefined && !hasTimestamp)
      report(
        [...base, "tolerance"],
        DiagnosticCode.InconsistentSection,
        `a tolerance needs a timestamp (timestampHeader or format.timestampKey)`,
        { at: "key" },
      );
    const content = list(signature["content"]);
    if (signature["tolerance"] !== undefined && hasTimestamp && !content.includes("timestamp"))
      report(
        [...base, "tolerance"],
        DiagnosticCode.InconsistentSection,
        `the tolerance is checked on a timestamp the signature does not cover: anyone can replay a captured delivery with a fresh timestamp; add timestamp to content`,
        { at: "key", severity: "warning" },
      );
    if (signature["timestampFormat"] !== undefined && !hasTimestamp)
      report(
        [...base, "timestampFormat"],
        DiagnosticCode.InconsistentSection,
        `timestampFormat needs a timestamp (timestampHeader or format.timestampKey)`,
        {
          at: "key",
        },
      );
    // Only when every part is one the schema knows: a misspelt "bdy" is reported there, not here.
    const known = content.every((part) => CONTENT_PARTS.has(part as string) || dict(part)?.["literal"] !== undefined);
    if (
      known &&
      content.length > 0 &&
      !content.includes("body") &&
      !content.includes("sortedFormParams") &&
      signature["bodyHash"] === undefined
    )
      report(
        [...base, "content"],
        DiagnosticCode.InconsistentSection,
        `the signed content leaves the body unsigned: an attacker who captured one delivery controls the whole payload (event type, id, data); add body to content`,
        { severity: "warning" },
      );
    list(signature["alternativeHeaders"]).forEach((set, index) => {
      const alternative = dict(set);
      for (const [key, needed] of [
        ["timestampHeader", signature["timestampHeader"] !== undefined],
        ["idHeader", signature["idHeader"] !== undefined],
      ] as const) {
        if (alternative && needed && alternative[key] === undefined)
          report(
            [...base, "alternativeHeaders", index],
            DiagnosticCode.InconsistentSection,
            `this header set needs ${key}: the first set has one`,
          );
        if (alternative && !needed && alternative[key] !== undefined)
          report(
            [...base, "alternativeHeaders", index, key],
            DiagnosticCode.InconsistentSection,
            `${key} is not used: the first set has none`,
            {
              at: "key",
            },
          );
      }
    });
    if (signature["bodyHash"] !== undefined && !content.includes("url"))
      report(
        [...base, "bodyHash"],
        DiagnosticCode.InconsistentSection,
        `a body hash in a URL parameter proves nothing unless the URL is signed: add url to content`,
        { at: "key" },
      );
    if (signature["urlDefaultPort"] !== undefined && !content.includes("url"))
      report([...base, "urlDefaultPort"], DiagnosticCode.InconsistentSection, `urlDefaultPort applies only when content has url`, {
        at: "key",
      });
    const algorithm = str(signature["algorithm"]);
    if (signature["algorithmFrom"] !== undefined && algorithm !== undefined && !algorithm.startsWith("hmac-"))
      report(
        [...base, "algorithmFrom"],
        DiagnosticCode.InconsistentSection,
        `algorithmFrom chooses among HMAC algorithms; ${algorithm} is not one`,
        {
          at: "key",
        },
      );
    const secretEncoding = str(signature["secretEncoding"]) ?? "raw";
    const exampleKey = str(signature["exampleKey"]);
    const keyProblem = exampleKey === undefined ? undefined : exampleKeyProblem(exampleKey, secretEncoding);
    if (keyProblem !== undefined) report([...base, "exampleKey"], DiagnosticCode.InconsistentSection, keyProblem);
    if (algorithm !== undefined && PUBLIC_KEY_ALGORITHMS.has(algorithm) !== PUBLIC_KEY_ENCODINGS.has(secretEncoding)) {
      report(
        [...base, signature["secretEncoding"] === undefined ? "algorithm" : "secretEncoding"],
        DiagnosticCode.InconsistentSection,
        PUBLIC_KEY_ALGORITHMS.has(algorithm)
          ? `${algorithm} verifies with a public key: secretEncoding must be pem-public-key, base64-spki, hex-public-key or jwk`
          : `${algorithm} uses a shared secret: secretEncoding ${secretEncoding} is for public keys`,
      );
    }
  }
  for (const [name, handshake] of entries(webhooks?.["handshakes"])) {
    const when = dict(dict(handshake)?.["when"]);
    const where = ["header", "query", "body"].filter((key) => when?.[key] !== undefined);
    if (when && where.length !== 1)
      report(
        ["webhooks", "handshakes", name, "when"],
        DiagnosticCode.InconsistentSection,
        `handshake "${name}": when names exactly one of header, query or body (found ${where.length === 0 ? "none" : where.join(", ")})`,
        { at: "key" },
      );
  }
  for (const key of ["eventId", "eventType", "orderKey", "apiVersion"]) {
    const value = webhooks?.[key];
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).forEach((location, index) => {
      const where = ["header", "body", "form"].filter((k) => dict(location)?.[k] !== undefined);
      if (dict(location) && where.length !== 1)
        report(
          Array.isArray(value) ? ["webhooks", key, index] : ["webhooks", key],
          DiagnosticCode.InconsistentSection,
          `${key} names exactly one of header, body or form (found ${where.length === 0 ? "none" : where.join(", ")})`,
        );
    });
  }
  const payloadEncoding = str(dict(webhooks?.["payload"])?.["encoding"]) ?? "json";
  for (const key of ["eventId", "eventType", "orderKey"]) {
    const value = webhooks?.[key];
    const locations: [PathSegment[], unknown][] = Array.isArray(value)
      ? value.map((v, i) => [["webhooks", key, i], v])
      : [[["webhooks", key], value]];
    for (const [path, location] of locations) {
      if (dict(location)?.["form"] !== undefined && payloadEncoding === "json")
        report([...path, "form"], DiagnosticCode.InconsistentSection, `a form field needs payload.encoding form or auto (it is json)`, {
          at: "key",
        });
    }
  }
  const seen = new Map<string, string>();
  for (const [type] of entries(webhooks?.["events"])) {
    const typeName = eventTypeName(providerPascal(doc), type);
    const first = seen.get(typeName);
    if (first !== undefined)
      report(
        ["webhooks", "events", type],
        DiagnosticCode.DuplicateEventType,
        `event types "${type}" and "${first}" both become the type ${typeName}; they look like the same event declared twice`,
        { at: "key" },
      );
    else seen.set(typeName, type);
  }
}
