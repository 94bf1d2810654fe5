/**
 * URLs the provider hands out (a Link header's next page, Twilio's next_page_uri), a client part
 * (./parts.ts) that the generated `create<Provider>Core` passes when an operation of its spec pages by
 * them. Credentials are never sent anywhere but the base URL's origin.
 */
import { ConfigurationError } from "../errors/errors.js";
import type { ClientParts } from "./parts.js";

/** `given`, absolute or relative to `baseUrl`'s origin, with the credentials' query parameters set; another origin is refused. */
export function providerUrl(provider: string, baseUrl: string, given: string, credentialQuery: Readonly<Record<string, string>>): string {
  const base = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(given, base.origin);
  } catch {
    throw new ConfigurationError(`${provider} handed out a URL that does not parse`);
  }
  if (url.origin !== base.origin) {
    throw new ConfigurationError(`refusing to send a ${provider} request to ${url.origin}: not the client's origin ${base.origin}`);
  }
  for (const [name, value] of Object.entries(credentialQuery)) url.searchParams.set(name, value);
  return url.href;
}

/** The client part for a spec whose operations page by URLs the provider hands out. */
export const providerUrls: ClientParts = { providerUrl };
