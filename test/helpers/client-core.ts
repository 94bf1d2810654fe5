/**
 * A ClientCore for a definition built in a test, with the client parts the definition needs, passed as the
 * generated `create<Provider>Core` passes them (runtime/client/parts.ts).
 */
import { ClientCore, type ClientOptions } from "../../runtime/client/client-core.js";
import { clientPartsFor, type ClientPartName, type ClientParts } from "../../runtime/client/parts.js";
import type { OperationDefinition, ProviderDefinition } from "../../runtime/definition.js";
import { rateLimitHeaderSync } from "../../runtime/policies/header-sync.js";
import { urlVariables } from "../../runtime/client/variables.js";
import { multipartAndRawBodies } from "../../runtime/client/bodies.js";
import { providerUrls } from "../../runtime/client/provider-url.js";
import { streamedAnswers } from "../../runtime/client/stream.js";
import { operationAuthModes } from "../../runtime/client/auth-choice.js";
import { versionMigrations, versionRequestMigrations } from "../../runtime/versions/migrations.js";
import { deprecatedVersionWarnings } from "../../runtime/versions/versions.js";

/** Every client part, by the name clientPartsFor gives it. */
export const CLIENT_PARTS: Readonly<Record<ClientPartName, ClientParts>> = {
  rateLimitHeaderSync,
  urlVariables,
  versionMigrations,
  versionRequestMigrations,
  deprecatedVersionWarnings,
  multipartAndRawBodies,
  streamedAnswers,
  operationAuthModes,
  providerUrls,
};

/** `operations`: those the test calls, for the parts that follow from operations (multipart bodies, provider URLs). */
export function coreFor(
  definition: ProviderDefinition,
  options: ClientOptions,
  operations: readonly OperationDefinition[] = [],
): ClientCore {
  return new ClientCore(
    definition,
    options,
    clientPartsFor(definition, operations).map((name) => CLIENT_PARTS[name]),
  );
}
