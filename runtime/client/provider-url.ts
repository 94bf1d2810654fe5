/**
 * URLs the provider hands out (a Link header's next page, Twilio's next_page_uri), a client part
 * (./parts.ts) that the generated `create<Provider>Core` passes when an operation of its spec pages by
 * them. Credentials are never sent anywhere but the base URL's origin.
 */
import { ConfigurationError } from "../errors/errors.js";
import type { ClientParts } from "./parts.js";

/**
 * `given`, absolute or relative to `baseUrl`'s origin, with the credentials' query parameters set; another
 * origin is refused. `environmentBaseUrl`: the spec's base URL when the client's was overridden (a proxy, a
 * local mock): a URL the provider wrote on it (Klaviyo's links.next is always https://a.klaviyo.com/...)
 * is moved onto the client's base URL, path prefix included, so paging goes where every other call goes.
 */
export function providerUrl(
  provider: string,
  baseUrl: string,
  given: string,
  credentialQuery: Readonly<Record<string, string>>,
  environmentBaseUrl?: string,
): string {
  const base = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(given, base.origin);
  } catch {
    throw new ConfigurationError(`${provider} handed out a URL that does not parse`);
  }
  if (environmentBaseUrl !== undefined && url.origin !== base.origin) url = rebased(url, environmentBaseUrl, base);
  if (url.origin !== base.origin) {
    throw new ConfigurationError(`refusing to send a ${provider} request to ${url.origin}: not the client's origin ${base.origin}`);
  }
  for (const [name, value] of Object.entries(credentialQuery)) url.searchParams.set(name, value);
  return url.href;
}

/** `url` moved from the environment's base URL onto the client's: its path under the environment's, else its whole path. */
function rebased(url: URL, environmentBaseUrl: string, client: URL): URL {
  let environment: URL;
  try {
    environment = new URL(environmentBaseUrl);
  } catch {
    return url;
  }
  if (url.origin !== environment.origin) return url;
  const environmentPath = environment.pathname.replace(/\/+$/, "");
  const rest =
    url.pathname === environmentPath || url.pathname.startsWith(`${environmentPath}/`)
      ? url.pathname.slice(environmentPath.length)
      : url.pathname;
  return new URL(`${client.pathname.replace(/\/+$/, "")}${rest}${url.search}`, client.origin);
}

/** The client part for a spec whose operations page by URLs the provider hands out. */
export const providerUrls: ClientParts = { providerUrl };
