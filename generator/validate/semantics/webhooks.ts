/** webhooks: the signature format's fields fit its style, signed parts say where they come from, event types do not collide. */
import { DiagnosticCode } from "../../diagnostics.js";
import { eventTypeName, providerPascal } from "../../common/operation-names.js";
import type { PathSegment } from "../../parse/parse.js";
import { dict, entries, list, str, type Dict, type Report } from "./read.js";
import { exampleKeyProblem } from "./webhook-keys.js";

const CONTENT_PARTS = new Set(["body", "timestamp", "id", "url", "method", "sortedFormParams"]);
const PUBLIC_KEY_ALGORITHMS = new Set(["ed25519", "ecdsa-p256-sha256"]);
const PUBLIC_KEY_ENCODINGS = new Set(["pem-public-key", "base64-spki", "hex-public-key", "jwk"]);
/** What a scheme without a signature over content parts leaves out, and why. */
const SHARED_SECRET_UNUSED = [
  "header",
  "format",
  "content",
  "encoding",
  "timestampHeader",
  "idHeader",
  "alternativeHeaders",
  "tolerance",
  "timestampFormat",
  "bodyHash",
  "urlDefaultPort",
  "algorithmFrom",
  "jwt",
  "timestampAt",
  "signatureAt",
  "acknowledgeUnsignedBody",
];
const JWT_UNUSED = [
  "timestampHeader",
  "idHeader",
  "alternativeHeaders",
  "timestampFormat",
  "bodyHash",
  "urlDefaultPort",
  "algorithmFrom",
  "timestampAt",
  "signatureAt",
  "acknowledgeUnsignedBody",
];
/**
 * Response headers a handshake's echo may not be written into: framing, caching, cookies, redirects and
 * security policies (the answer's own Cache-Control and X-Content-Type-Options included). The value is the
 * sender's, and an unsigned challenge can be sent by anyone.
 */
const RESERVED_ANSWER_HEADERS = new Set([
  "cache-control",
  "connection",
  "content-disposition",
  "content-encoding",
  "content-length",
  "content-location",
  "content-security-policy",
  "content-type",
  "date",
  "expires",
  "keep-alive",
  "link",
  "location",
  "pragma",
  "refresh",
  "retry-after",
  "set-cookie",
  "strict-transport-security",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "vary",
  "www-authenticate",
  "x-content-type-options",
  "x-frame-options",
]);

/**
 * A `text` payload is a string: nothing can be read from it by JSON path or form field, so what the spec
 * locates (event type, id, order key, API version, a handshake's when and echo) must be in a header or the
 * query, a signature cannot cover form parameters, and an event's payload schema describes a string.
 */
function checkTextPayload(webhooks: Dict | undefined, report: Report): void {
  if (str(dict(webhooks?.["payload"])?.["encoding"]) !== "text") return;
  for (const key of ["eventType", "eventId", "orderKey", "apiVersion"]) {
    const value = webhooks?.[key];
    const locations: [PathSegment[], unknown][] = Array.isArray(value)
      ? value.map((v, i) => [["webhooks", key, i], v])
      : [[["webhooks", key], value]];
    for (const [path, location] of locations)
      for (const where of ["body", "form"])
        if (dict(location)?.[where] !== undefined)
          report(
            [...path, where],
            DiagnosticCode.InconsistentSection,
            `payload.encoding is text: the payload is a string, so ${key} can only be read from a header (not from the ${where})`,
            { at: "key" },
          );
  }
  for (const [name, handshake] of entries(webhooks?.["handshakes"]))
    for (const part of ["when", "echo"])
      if (dict(dict(handshake)?.[part])?.["body"] !== undefined)
        report(
          ["webhooks", "handshakes", name, part, "body"],
          DiagnosticCode.InconsistentSection,
          `handshake "${name}": payload.encoding is text: the payload is a string, so ${part} can only be a header or a query parameter`,
          { at: "key" },
        );
  for (const [type, event] of entries(webhooks?.["events"])) {
    const schemaType = dict(dict(event)?.["payload"])?.["type"];
    if (schemaType !== undefined && schemaType !== "string")
      report(
        ["webhooks", "events", type, "payload", "type"],
        DiagnosticCode.InconsistentSection,
        `payload.encoding is text: event "${type}"'s payload is the body as a string, so its schema's type is string`,
      );
  }
  const content = list(dict(webhooks?.["signature"])?.["content"]);
  const index = content.indexOf("sortedFormParams");
  if (index >= 0)
    report(
      ["webhooks", "signature", "content", index],
      DiagnosticCode.InconsistentSection,
      `payload.encoding is text: the body is not read as form parameters, so sortedFormParams cannot be signed; sign body`,
    );
}

/**
 * A handshake's answer: it needs the echo it uses, and an HMAC of the echo only on a challenge the
 * provider signs, under a scheme whose secret is an HMAC key. Answering an unsigned challenge with a MAC
 * of a value the caller chose would make the endpoint an HMAC oracle for anyone.
 */
function checkHandshakeAnswer(name: string, handshake: Dict | undefined, algorithm: string | undefined, report: Report): void {
  if (handshake === undefined) return;
  const base = ["webhooks", "handshakes", name];
  const respond = handshake["respond"];
  const fields = entries(dict(dict(respond)?.["json"]));
  const header = str(dict(respond)?.["header"]);
  const usesEcho = dict(respond) === undefined || header !== undefined || fields.some(([, field]) => dict(field) !== undefined);
  if (usesEcho && handshake["echo"] === undefined)
    report(base, DiagnosticCode.InconsistentSection, `handshake "${name}": respond answers with the echo, but echo says not where it is`, {
      at: "key",
    });
  if (header !== undefined && (RESERVED_ANSWER_HEADERS.has(header.toLowerCase()) || /^(access-control-|proxy-|sec-)/i.test(header)))
    report(
      [...base, "respond", "header"],
      DiagnosticCode.InconsistentSection,
      `handshake "${name}": ${header} has a meaning of its own to HTTP clients and proxies; the answer writes the challenge value into respond.header, so name a header that carries only the echo (Asana's X-Hook-Secret)`,
    );
  for (const [field, value] of fields) {
    const answer = dict(value);
    if (answer === undefined) continue;
    const at = [...base, "respond", "json", field];
    if (answer["hmac"] === undefined) {
      if (answer["encoding"] !== undefined)
        report([...at, "encoding"], DiagnosticCode.InconsistentSection, `handshake "${name}": encoding applies only to an hmac field`, {
          at: "key",
        });
      continue;
    }
    if (handshake["authenticated"] !== true)
      report(
        [...at, "hmac"],
        DiagnosticCode.InconsistentSection,
        `handshake "${name}": an unsigned challenge cannot be answered with an HMAC: anyone could make the endpoint compute the MAC of a value of their choice (authenticated: true if the provider signs it)`,
        { at: "key" },
      );
    else if (algorithm !== undefined && !algorithm.startsWith("hmac-"))
      report(
        [...at, "hmac"],
        DiagnosticCode.InconsistentSection,
        `handshake "${name}": an hmac answer is keyed with the secret of an hmac-sha1, hmac-sha256 or hmac-sha512 signature, not of ${algorithm}`,
        { at: "key" },
      );
  }
}

/** The fields each kind of scheme needs and those it leaves unused (jwt-hs256, shared-secret, the others). */
function checkSchemeFields(signature: Dict, webhooks: Dict | undefined, report: Report): void {
  const base = ["webhooks", "signature"];
  const algorithm = str(signature["algorithm"]);
  if (algorithm === undefined) return;
  if (algorithm === "shared-secret") {
    for (const key of SHARED_SECRET_UNUSED)
      if (signature[key] !== undefined)
        report(
          [...base, key],
          DiagnosticCode.InconsistentSection,
          key === "header"
            ? `header does not apply to shared-secret: a secret sent as a header is named by sharedSecret.header`
            : `${key} does not apply to shared-secret: it has no signature, only the secret sharedSecret locates`,
          {
            at: "key",
          },
        );
    const shared = dict(signature["sharedSecret"]);
    if (shared === undefined)
      report(
        [...base, "algorithm"],
        DiagnosticCode.InconsistentSection,
        `shared-secret needs sharedSecret: at (where the JSON body repeats the secret) or header (the header that carries it)`,
      );
    const at = str(shared?.["at"]);
    const header = str(shared?.["header"]);
    if (at !== undefined && header !== undefined)
      report(
        [...base, "sharedSecret"],
        DiagnosticCode.InconsistentSection,
        `sharedSecret takes one of at and header: the secret is in one place`,
        { at: "key" },
      );
    const encoding = str(dict(webhooks?.["payload"])?.["encoding"]) ?? "json";
    if (at !== undefined && encoding !== "json")
      report(
        ["webhooks", "payload", "encoding"],
        DiagnosticCode.InconsistentSection,
        `shared-secret reads the secret from a JSON body (sharedSecret.at): payload.encoding must be json`,
      );
    const place = at ?? (header !== undefined ? `the ${header} header` : undefined);
    if (shared !== undefined && place !== undefined && shared["acknowledgeUnsignedBody"] !== true)
      report(
        [...base, "sharedSecret"],
        DiagnosticCode.InconsistentSection,
        `a shared secret authenticates the sender, not the body: it travels in every delivery, so whoever has seen one can send any body with it, and an attacker controls ${at !== undefined ? `every field but ${at}` : "every field of the body"}; re-read what a notification names from the API before acting on it, and set acknowledgeUnsignedBody: true to say the spec means this`,
        { at: "key", severity: "warning" },
      );
    return;
  }
  for (const key of ["header", "format", "content", "encoding"])
    if (signature[key] === undefined && !(key === "header" && signature["signatureAt"] !== undefined && algorithm !== "jwt-hs256"))
      report(
        [...base, "algorithm"],
        DiagnosticCode.InconsistentSection,
        key === "header" && algorithm !== "jwt-hs256"
          ? `${algorithm} needs header (or signatureAt, for a signature in the JSON body)`
          : `${algorithm} needs ${key}`,
      );
  if (signature["sharedSecret"] !== undefined)
    report([...base, "sharedSecret"], DiagnosticCode.InconsistentSection, `sharedSecret applies only to algorithm shared-secret`, {
      at: "key",
    });
  if (algorithm !== "jwt-hs256") {
    if (signature["jwt"] !== undefined)
      report([...base, "jwt"], DiagnosticCode.InconsistentSection, `jwt applies only to algorithm jwt-hs256`, { at: "key" });
    return;
  }
  for (const key of JWT_UNUSED)
    if (signature[key] !== undefined)
      report([...base, key], DiagnosticCode.InconsistentSection, `${key} does not apply to jwt-hs256: the token carries its own claims`, {
        at: "key",
      });
  const format = dict(signature["format"]);
  if (format !== undefined && format["style"] !== "single")
    report(
      [...base, "format", "style"],
      DiagnosticCode.InconsistentSection,
      `a JWT is one value: format style must be single (with its prefix, e.g. "Bearer ")`,
    );
  if (signature["encoding"] !== undefined && signature["encoding"] !== "base64url")
    report([...base, "encoding"], DiagnosticCode.InconsistentSection, `a JWT's signature is base64url`);
  const secretEncoding = str(signature["secretEncoding"]) ?? "raw";
  if (secretEncoding !== "raw" && secretEncoding !== "base64")
    report([...base, "secretEncoding"], DiagnosticCode.InconsistentSection, `an HS256 secret is raw or base64`);
  const jwt = dict(signature["jwt"]);
  const content = list(signature["content"]);
  const bodyHash = dict(jwt?.["bodyHash"]);
  content.forEach((part, index) => {
    if (part !== "body")
      report(
        [...base, "content", index],
        DiagnosticCode.InconsistentSection,
        `a JWT covers the body (through jwt.bodyHash) and its own claims only: content is [body]`,
      );
  });
  if (content.includes("body") && bodyHash === undefined)
    report(
      [...base, "content"],
      DiagnosticCode.InconsistentSection,
      `the token covers the body only through a claim with its digest: add jwt.bodyHash (Vonage: payload_hash)`,
    );
  if (bodyHash !== undefined && !content.includes("body"))
    report([...base, "jwt", "bodyHash"], DiagnosticCode.InconsistentSection, `jwt.bodyHash checks the body: add body to content`, {
      at: "key",
    });
}

/** A digest named in a header prefix ("sha256=", "SHA1:", "hmac-sha512 "): letters and digits on neither side. */
const PREFIX_DIGEST = /(?:^|[^a-z0-9])(?:hmac-?)?(sha-?(?:1|224|256|384|512)|md5)(?![a-z0-9])/i;
/** The digest each algorithm that has one signs with; Ed25519's SHA-512 is internal to it and named by no prefix. */
const ALGORITHM_DIGEST: Readonly<Record<string, string>> = {
  "hmac-sha1": "sha1",
  "hmac-sha256": "sha256",
  "hmac-sha512": "sha512",
  "ecdsa-p256-sha256": "sha256",
};

/**
 * A single-style prefix that names another digest than the algorithm's (`hmac-sha1` with `sha256=`) is
 * most likely a spec copied from the provider's other header: GitHub sends `X-Hub-Signature: sha1=` and
 * `X-Hub-Signature-256: sha256=`. Every delivery would then be a mismatch, and nothing else says why.
 */
function checkPrefixAlgorithm(signature: Dict, format: Dict | undefined, report: Report): void {
  const prefix = format?.["style"] === "single" ? str(format["prefix"]) : undefined;
  const algorithm = str(signature["algorithm"]);
  const digest = algorithm !== undefined ? ALGORITHM_DIGEST[algorithm] : undefined;
  const named = prefix !== undefined ? PREFIX_DIGEST.exec(prefix)?.[1] : undefined;
  if (digest === undefined || named === undefined) return;
  const normalized = named.toLowerCase().replace("-", "");
  if (normalized !== digest)
    report(
      ["webhooks", "signature", "format", "prefix"],
      DiagnosticCode.InconsistentSection,
      `the prefix "${prefix!}" names ${normalized}, but the algorithm is ${algorithm!}: a provider's prefix names the digest its header carries, so check which header and algorithm the spec describes`,
      { severity: "warning" },
    );
}

/**
 * Values a scheme reads from the JSON body (signatureAt, timestampAt, {body} content parts): each in one
 * place, in a JSON body, and a signature that does not sign itself.
 */
function checkBodyValues(signature: Dict, webhooks: Dict | undefined, report: Report): void {
  const base = ["webhooks", "signature"];
  const content = list(signature["content"]);
  const readsBody =
    signature["signatureAt"] !== undefined ||
    signature["timestampAt"] !== undefined ||
    content.some((part) => dict(part)?.["body"] !== undefined);
  if (signature["signatureAt"] !== undefined) {
    if (signature["header"] !== undefined)
      report([...base, "signatureAt"], DiagnosticCode.InconsistentSection, `the signature is in one place: header or signatureAt`, {
        at: "key",
      });
    const bodyIndex = content.indexOf("body");
    if (bodyIndex >= 0)
      report(
        [...base, "content", bodyIndex],
        DiagnosticCode.InconsistentSection,
        `a signature carried in the body cannot sign the raw body it is part of: sign the body's values ({body: $.path}) instead`,
      );
    if (signature["alternativeHeaders"] !== undefined)
      report(
        [...base, "alternativeHeaders"],
        DiagnosticCode.InconsistentSection,
        `alternativeHeaders are other headers of a signature sent as a header, not of one in the body (signatureAt)`,
        { at: "key" },
      );
  }
  if (
    signature["timestampAt"] !== undefined &&
    (signature["timestampHeader"] !== undefined || dict(signature["format"])?.["timestampKey"] !== undefined)
  )
    report(
      [...base, "timestampAt"],
      DiagnosticCode.InconsistentSection,
      `the timestamp is in one place: timestampHeader, format.timestampKey or timestampAt`,
      { at: "key" },
    );
  const encoding = str(dict(webhooks?.["payload"])?.["encoding"]) ?? "json";
  if (readsBody && encoding !== "json")
    report(
      ["webhooks", "payload", "encoding"],
      DiagnosticCode.InconsistentSection,
      `the scheme reads signed values from a JSON body (signatureAt, timestampAt or a {body} part of content): payload.encoding must be json`,
    );
}

export function checkWebhooks(doc: Dict, report: Report): void {
  const webhooks = dict(doc["webhooks"]);
  const signature = dict(webhooks?.["signature"]);
  if (signature) checkSchemeFields(signature, webhooks, report);
  // A verified delivery answered non-2xx counts as failed: the provider delivers it again, and again.
  const response = dict(webhooks?.["response"]);
  for (const key of ["status", "queuedStatus"]) {
    const status = response?.[key];
    if (typeof status === "number" && (status < 200 || status > 299))
      report(
        ["webhooks", "response", key],
        DiagnosticCode.InconsistentSection,
        `a verified delivery must be answered with a 2xx status: the provider treats ${status} as a failed delivery and sends it again`,
      );
  }
  if (signature && str(signature["algorithm"]) !== "shared-secret") {
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
    checkPrefixAlgorithm(signature, format, report);
    checkBodyValues(signature, webhooks, report);
    const hasTimestamp =
      signature["timestampHeader"] !== undefined ||
      signature["timestampAt"] !== undefined ||
      (style === "keyValue" && format?.["timestampKey"] !== undefined) ||
      dict(signature["jwt"])?.["timestampClaim"] !== undefined;
    list(signature["content"]).forEach((part, index) => {
      if (part === "timestamp" && !hasTimestamp)
        report(
          [...base, "content", index],
          DiagnosticCode.InconsistentSection,
          `the signed content uses the timestamp, but no timestampHeader, timestampAt or format.timestampKey says where it is`,
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
        `a tolerance needs a timestamp (timestampHeader, timestampAt, format.timestampKey or jwt.timestampClaim)`,
        { at: "key" },
      );
    const content = list(signature["content"]);
    // A JWT's timestamp claim is covered by the token's signature.
    const signedClaim = dict(signature["jwt"])?.["timestampClaim"] !== undefined;
    // A timestamp in the body is covered by a signed body, or by a body part at its path.
    const timestampAt = str(signature["timestampAt"]);
    const signedInBody =
      timestampAt !== undefined && (content.includes("body") || content.some((part) => dict(part)?.["body"] === timestampAt));
    if (signature["tolerance"] !== undefined && hasTimestamp && !signedClaim && !signedInBody && !content.includes("timestamp"))
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
        `timestampFormat needs a timestamp (timestampHeader, timestampAt or format.timestampKey)`,
        {
          at: "key",
        },
      );
    // Only when every part is one the schema knows: a misspelt "bdy" is reported there, not here.
    const known = content.every(
      (part) => CONTENT_PARTS.has(part as string) || dict(part)?.["literal"] !== undefined || dict(part)?.["body"] !== undefined,
    );
    const bodyFields = content.flatMap((part) => str(dict(part)?.["body"]) ?? []);
    if (
      known &&
      content.length > 0 &&
      !content.includes("body") &&
      !content.includes("sortedFormParams") &&
      signature["bodyHash"] === undefined &&
      signature["acknowledgeUnsignedBody"] !== true
    )
      report(
        [...base, "content"],
        DiagnosticCode.InconsistentSection,
        bodyFields.length > 0
          ? `the signed content covers only ${bodyFields.join(" and ")} of the body: an attacker who captured one delivery can attach its signature to any other payload (event type, id, data); add body to content if the provider signs it, or set acknowledgeUnsignedBody: true to say the spec means this (then re-read what a delivery names from the API, and remember the values seen to refuse replays)`
          : `the signed content leaves the body unsigned: an attacker who captured one delivery controls the whole payload (event type, id, data); add body to content`,
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
  checkTextPayload(webhooks, report);
  const signatureAlgorithm = str(dict(webhooks?.["signature"])?.["algorithm"]);
  for (const [name, handshake] of entries(webhooks?.["handshakes"])) {
    checkHandshakeAnswer(name, dict(handshake), signatureAlgorithm, report);
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
