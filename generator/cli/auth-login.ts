/**
 * `switchboard auth login PROVIDER`: the native-app flow of RFC 8252. A listener on a free loopback
 * port receives the redirect, the authorization URL is printed (and opened where possible), the code
 * is exchanged with PKCE and the tokens go to the encrypted file store. The wait ends with the callback
 * or a clean timeout that closes the listener.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SwitchboardError } from "@switchboard/runtime";
import { isAuthorizationStateError, OAuth2Authorization, type StoredTokens, type TokenStore } from "@switchboard/runtime/auth";
import type { OAuth2AuthDefinition } from "@switchboard/runtime/contract";

export class LoginTimeoutError extends SwitchboardError {
  static override readonly code = "login_timeout";
  constructor(timeoutMs: number) {
    super(LoginTimeoutError.code, `no authorization arrived within ${Math.round(timeoutMs / 1000)} s`);
  }
}

export interface LoopbackLoginOptions {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly scopes?: readonly string[];
  readonly store: TokenStore;
  /** @default `oauth2:<clientId>` */
  readonly key?: string;
  /** @default 0: a free port */
  readonly port?: number;
  /** @default 5 min */
  readonly timeoutMs?: number;
  /** Called with the authorization URL once the listener is up (print it, open a browser). */
  readonly onUrl: (url: string, redirectUri: string) => void | Promise<void>;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

/** Runs one loopback authorization and resolves to the stored tokens. */
export async function loopbackLogin(mode: OAuth2AuthDefinition, options: LoopbackLoginOptions): Promise<StoredTokens> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const server: Server = createServer();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    // Refuses a client the token endpoint could not authenticate (no secret for client_secret_*) before
    // any URL is handed out: the user would otherwise consent first and see the exchange fail.
    const flow = new OAuth2Authorization(mode, {
      clientId: options.clientId,
      ...(options.clientSecret !== undefined && { clientSecret: options.clientSecret }),
      redirectUri,
      store: options.store,
      ...(options.key !== undefined && { key: options.key }),
      ...(options.scopes && { scopes: options.scopes }),
      ...(options.fetch && { fetch: options.fetch }),
      stateTtlMs: timeoutMs,
    });
    return await new Promise<StoredTokens>((resolve, reject) => {
      timer = setTimeout(() => reject(new LoginTimeoutError(timeoutMs)), timeoutMs);
      options.signal?.addEventListener("abort", () => reject(options.signal!.reason), { once: true });
      server.on("request", (request, response) => {
        const url = new URL(request.url ?? "/", redirectUri);
        if (request.method !== "GET" || url.pathname !== "/callback") {
          response.writeHead(404, { "content-type": "text/plain" }).end("not found");
          return;
        }
        flow.finish(url.searchParams).then(
          (tokens) => {
            response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page("Signed in. You can close this window."));
            resolve(tokens);
          },
          (error: unknown) => {
            if (isAuthorizationStateError(error)) {
              // Not our authorization (a stale tab, a forged request): refuse it and keep waiting.
              response.writeHead(400, { "content-type": "text/html; charset=utf-8" }).end(page("Unknown or used authorization state."));
              return;
            }
            response.writeHead(400, { "content-type": "text/html; charset=utf-8" }).end(page("Sign-in failed; see the terminal."));
            reject(error);
          },
        );
      });
      flow.start().then((started) => options.onUrl(started.url, redirectUri), reject);
    });
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    // Resolves also when the listener never came up (close then reports it was not running).
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function page(message: string): string {
  return `<!doctype html><meta charset="utf-8"><title>switchboard</title><p>${message}</p>`;
}

/** Opens `url` in the user's browser where the platform has a way to; failures are ignored. */
export function openInBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer.exe" : "xdg-open";
  try {
    const child = spawn(command, [url], { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // Printing the URL is enough.
  }
}
