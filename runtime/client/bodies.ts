/**
 * The multipart and raw request bodies, a client part (./parts.ts) that the generated `create<Provider>Core`
 * passes when an operation of its spec sends one: an application whose provider only takes JSON and
 * form bodies ships none of this.
 */
import type { OperationDefinition, ProviderDefinition } from "../definition.js";
import { flattenParams } from "./form.js";
import type { ClientParts } from "./parts.js";

/**
 * Sets the content type of a multipart or raw body and returns what to send: for multipart, the bytes the
 * platform's own serializer writes (the boundary and each part's headers); raw, the bytes or text as given.
 */
export function encodeBody(
  operation: OperationDefinition,
  body: unknown,
  headers: Record<string, string>,
  arrays: ProviderDefinition["encoding"]["form"],
): string | Uint8Array | Promise<Uint8Array> {
  if (operation.bodyEncoding === "multipart") {
    const form = new FormData();
    for (const [key, value] of flattenParams(body as Record<string, unknown>, arrays)) form.append(key, value);
    const encoded = new Request("http://multipart.invalid/", { method: "POST", body: form });
    headers["content-type"] = encoded.headers.get("content-type")!;
    return encoded.arrayBuffer().then((bytes) => new Uint8Array(bytes));
  }
  headers["content-type"] ??= operation.contentType ?? "application/octet-stream";
  return body instanceof Uint8Array ? body : String(body);
}

/** The client part for a spec with multipart or raw request bodies. */
export const multipartAndRawBodies: ClientParts = { encodeBody };
