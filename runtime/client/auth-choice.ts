/**
 * Which credentials an operation is sent with. A client holds credentials for one auth mode or several
 * (`auth: [{ mode: "app", ... }, { mode: "installation", ... }]`, the first the default); an operation
 * whose spec names its modes (`auth: [app]`) takes the first of them the client holds, one that names
 * none (`auth: []`, a public endpoint) is sent without credentials, any other takes the default.
 */
import type { AuthModeDefinition, OperationDefinition, ProviderDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { declared } from "../internal/declared.js";
import type { AuthOptions } from "./credentials.js";
import type { ClientParts } from "./parts.js";

export interface HeldCredential {
  readonly name: string;
  readonly mode: AuthModeDefinition;
  readonly auth: AuthOptions;
}

/** The client's credentials, in the order given; a spec without auth modes holds none. */
export function heldCredentials(definition: ProviderDefinition, auth: AuthOptions | readonly AuthOptions[]): readonly HeldCredential[] {
  const list: readonly AuthOptions[] = isList(auth) ? auth : [auth];
  const held: HeldCredential[] = [];
  for (const options of list) {
    const name = options.mode ?? definition.auth.defaultMode;
    if (name === undefined) continue;
    const mode = declared(definition.auth.modes, name, "auth mode", definition.title);
    if (held.some((h) => h.name === name)) throw new ConfigurationError(`auth names the mode "${name}" twice`);
    held.push({ name, mode, auth: options });
  }
  return held;
}

function isList(auth: AuthOptions | readonly AuthOptions[]): auth is readonly AuthOptions[] {
  return Array.isArray(auth);
}

/**
 * The credential `operation` is sent with; undefined: none. Throws when it needs a mode the client does
 * not hold. Without modes of its own, the client's first (the core does that without this part).
 */
export function credentialFor(held: readonly HeldCredential[], operation: OperationDefinition, title: string): HeldCredential | undefined {
  const modes = operation.auth;
  if (modes === undefined) return held[0];
  if (modes.length === 0) return undefined;
  for (const mode of modes) {
    const found = held.find((h) => h.name === mode);
    if (found) return found;
  }
  const holding = held.length === 0 ? "none" : held.map((h) => h.name).join(", ");
  throw new ConfigurationError(
    `${title} operation ${operation.id} is sent with the auth mode ${modes.map((m) => `"${m}"`).join(" or ")}; this client holds credentials for: ${holding}`,
  );
}

/** The client part for a spec whose operations name the auth modes they are sent with (./parts.ts). */
export const operationAuthModes: ClientParts = { credentialFor };
