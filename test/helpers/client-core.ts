/**
 * A ClientCore for a definition built in a test, with the client parts the definition needs, passed as the
 * generated `create<Provider>Core` passes them (runtime/client/parts.ts).
 */
import { ClientCore, type ClientOptions } from "../../runtime/client/client-core.js";
import { clientPartsFor, type ClientPartName, type ClientParts } from "../../runtime/client/parts.js";
import type { ProviderDefinition } from "../../runtime/definition.js";
import { rateLimitHeaderSync } from "../../runtime/policies/header-sync.js";

const PARTS: Readonly<Record<ClientPartName, ClientParts>> = { rateLimitHeaderSync };

export function coreFor(definition: ProviderDefinition, options: ClientOptions): ClientCore {
  return new ClientCore(
    definition,
    options,
    clientPartsFor(definition).map((name) => PARTS[name]),
  );
}
