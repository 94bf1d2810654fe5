/**
 * A real OAuth 2.0 / OpenID Connect authorization server for tests: oidc-provider 8 on a loopback port,
 * with a confidential client (PKCE required, refresh-token rotation, client_credentials) and a public
 * client. Every POST to the token endpoint is counted at the server. `loginWithHttp` walks the
 * provider's own login and consent pages with plain HTTP and a cookie jar (the browser test uses
 * Chromium instead).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { OAuth2AuthDefinition } from "../../runtime/definition.js";

export const CONFIDENTIAL = { clientId: "confidential-app", clientSecret: "s3cr3t-client-secret-value" } as const;
export const PUBLIC = { clientId: "public-app" } as const;
export const SCOPES = ["openid", "offline_access", "api:read"] as const;

export interface OidcServer {
  readonly issuer: string;
  readonly provider: Provider;
  /** POST /token requests seen, by grant_type. */
  readonly tokenRequests: { grantType: string }[];
  /** An oauth2 auth mode as a spec would declare it for this server. */
  mode(overrides?: Partial<OAuth2AuthDefinition>): OAuth2AuthDefinition;
  /** Whether `token` is a live access token of this server. */
  isActive(token: string): Promise<boolean>;
  revokeRefreshToken(token: string): Promise<void>;
  close(): Promise<void>;
}

export async function startOidcServer(options: { accessTokenTtlS?: number } = {}): Promise<OidcServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const loopbackRedirect = "http://127.0.0.1/callback";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CONFIDENTIAL.clientId,
        client_secret: CONFIDENTIAL.clientSecret,
        application_type: "native",
        redirect_uris: [loopbackRedirect],
        grant_types: ["authorization_code", "refresh_token", "client_credentials"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
        scope: SCOPES.join(" "),
      },
      {
        client_id: PUBLIC.clientId,
        application_type: "native",
        redirect_uris: [loopbackRedirect],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
        scope: SCOPES.join(" "),
      },
    ],
    scopes: [...SCOPES],
    pkce: { methods: ["S256"], required: () => true },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
    },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    ttl: {
      AccessToken: options.accessTokenTtlS ?? 3600,
      ClientCredentials: options.accessTokenTtlS ?? 3600,
      AuthorizationCode: 60,
      RefreshToken: 86_400,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
    },
    cookies: { keys: ["switchboard-test-cookie-key"] },
  });
  const tokenRequests: { grantType: string }[] = [];
  // Counted at the server, after oidc-provider parsed the body.
  provider.use(async (ctx, next) => {
    const isToken = ctx.method === "POST" && ctx.path === "/token";
    try {
      await next();
    } finally {
      if (isToken) tokenRequests.push({ grantType: String(ctx.oidc?.params?.["grant_type"] ?? "") });
    }
  });
  const callback = provider.callback();
  server.on("request", (request, response) => void callback(request, response));
  return {
    issuer,
    provider,
    tokenRequests,
    mode: (overrides = {}) => ({
      type: "oauth2",
      authorizationUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      revocationUrl: `${issuer}/token/revocation`,
      grants: ["authorizationCode", "clientCredentials", "refreshToken"],
      pkce: "required",
      tokenEndpointAuthMethod: "client_secret_basic",
      scopes: [...SCOPES],
      scopeSeparator: " ",
      authorizationParams: { prompt: "consent" },
      tokenResponse: { accessTokenPath: ["access_token"], refreshTokenPath: ["refresh_token"], expiresInPath: ["expires_in"] },
      refreshSkewMs: 60_000,
      header: "authorization",
      prefix: "Bearer ",
      ...overrides,
    }),
    async isActive(token) {
      const found = await provider.AccessToken.find(token);
      if (found && !found.isExpired) return true;
      const cc = await provider.ClientCredentials.find(token);
      return Boolean(cc && !cc.isExpired);
    },
    async revokeRefreshToken(token) {
      const response = await fetch(`${issuer}/token/revocation`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${CONFIDENTIAL.clientId}:${CONFIDENTIAL.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ token, token_type_hint: "refresh_token" }).toString(),
      });
      if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Follows an authorization URL through oidc-provider's dev login and consent pages with plain HTTP,
 * and returns the final redirect to the client's redirect URI (not followed).
 */
export async function loginWithHttp(authorizationUrl: string, login = "alice"): Promise<string> {
  const jar = new Map<string, string>();
  const remember = (response: Response): void => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair!.indexOf("=");
      jar.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
  };
  const cookieHeader = (): string => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  let url = authorizationUrl;
  let init: RequestInit = { method: "GET" };
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), cookie: cookieHeader() } });
    remember(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url).toString();
      if (!next.startsWith(new URL(authorizationUrl).origin)) return next;
      url = next;
      init = { method: "GET" };
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action || !prompt) throw new Error(`unexpected page at step ${step}: HTTP ${response.status}`);
    const form = new URLSearchParams({ prompt });
    if (prompt === "login") {
      form.set("login", login);
      form.set("password", "any");
    }
    url = new URL(action, url).toString();
    init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() };
  }
  throw new Error("too many steps");
}
