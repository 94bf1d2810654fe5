/**
 * GitHub App auth: an RS256 app JWT (iat backdated by the spec's clockSkew, exp at most jwtLifetime
 * ahead, GitHub allows 10 minutes) exchanged for an installation access token, cached until refreshSkew
 * before it expires. WebCrypto only; GitHub's PKCS#1 PEM keys are wrapped into PKCS#8 for importKey.
 */
import type { TokenProvider, TokenRequestEvent, TokenRequestOptions } from "../client/credentials.js";
import { systemClock, type Clock } from "../clock.js";
import { describeTokenFailure, listenersOf, sendWithPolicies, type TokenRetryOptions } from "./token-request.js";
import type { GithubAppAuthDefinition } from "../definition.js";
import { ConfigurationError } from "../errors/errors.js";
import { OAuthError } from "./errors.js";
import { base64url, utf8 } from "./pkce.js";
import { refreshAt } from "./refresh-at.js";

export interface AppJwtOptions {
  /** The app's client ID or app ID (the JWT's iss). */
  readonly appId: string | number;
  /** PEM: "BEGIN RSA PRIVATE KEY" (as GitHub hands it out) or "BEGIN PRIVATE KEY". */
  readonly privateKey: string;
  /** Epoch ms. @default Date.now() */
  readonly now?: number;
  /** @default 60 s */
  readonly clockSkewMs?: number;
  /** @default 9 min; at most 10 min */
  readonly lifetimeMs?: number;
}

const MAX_JWT_LIFETIME_MS = 600_000;

/** Signs a GitHub App JWT with RS256. */
export async function createAppJwt(options: AppJwtOptions): Promise<string> {
  const appId = String(options.appId);
  if (appId === "") throw new ConfigurationError("appId is missing or empty");
  const now = options.now ?? Date.now();
  const skew = options.clockSkewMs ?? 60_000;
  const lifetime = Math.min(options.lifetimeMs ?? 540_000, MAX_JWT_LIFETIME_MS);
  const iat = Math.floor((now - skew) / 1000);
  // exp counts from now, not from the backdated iat: GitHub checks exp - (its now) <= 10 min.
  const exp = Math.floor((now + lifetime) / 1000);
  const encode = (value: object): string => base64url(utf8(JSON.stringify(value)));
  const input = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat, exp, iss: appId })}`;
  const key = await importRsaPrivateKey(options.privateKey);
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, utf8(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

async function importRsaPrivateKey(pem: string): Promise<Awaited<ReturnType<typeof crypto.subtle.importKey>>> {
  const match = /-----BEGIN (RSA )?PRIVATE KEY-----([\s\S]+?)-----END (RSA )?PRIVATE KEY-----/.exec(pem ?? "");
  if (!match) throw new ConfigurationError("privateKey is not a PEM RSA private key");
  let der: Uint8Array<ArrayBuffer> = Uint8Array.from(atob(match[2]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  if (match[1]) der = pkcs1ToPkcs8(der);
  try {
    return await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  } catch (error) {
    throw Object.assign(new ConfigurationError("privateKey could not be imported as an RSA key"), { cause: error });
  }
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = [0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const octet = [0x04, ...derLength(pkcs1.length)];
  const inner = head.length + octet.length + pkcs1.length;
  const out = new Uint8Array([0x30, ...derLength(inner), ...head, ...octet, ...pkcs1]);
  return out;
}

export interface GithubAppTokenProviderOptions {
  readonly appId: string | number;
  readonly privateKey: string;
  readonly installationId: string | number;
  /** Body of the token request: `repositories`, `permissions` to narrow the token. */
  readonly request?: Readonly<Record<string, unknown>>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Epoch ms. @default Date.now (the clock's now when `clock` is given) */
  readonly now?: () => number;
  /** Time and waits between retries. @default the system clock */
  readonly clock?: Clock;
  /** Time limit of one token request, its retries included. @default 30 s */
  readonly timeoutMs?: number;
  /**
   * Retries on network errors, 5xx and 429 (Retry-After honoured) within `timeoutMs`: an installation
   * token request is safe to repeat. false: none. @default 3 attempts, Retry-After up to 10 s
   */
  readonly retry?: TokenRetryOptions | false;
  /** Token-request events (also sent to the client that asked for the token). Never carries a secret. */
  readonly onEvent?: (event: TokenRequestEvent) => void;
  /** Overrides the spec's installationTokenUrl's origin (GitHub Enterprise Server, tests). */
  readonly installationTokenUrl?: string;
}

/** Installation access tokens for one installation, minted on demand and cached; one request at a time. */
export class GithubAppTokenProvider implements TokenProvider {
  readonly #mode: GithubAppAuthDefinition;
  readonly #options: GithubAppTokenProviderOptions;
  readonly #now: () => number;
  #token: { readonly value: string; readonly expiresAt: number; readonly obtainedAt: number } | undefined;
  #minting: Promise<string> | undefined;
  readonly #clock: Clock;
  /** Listeners of the calls waiting for the current request. */
  readonly #listeners = new Set<(event: TokenRequestEvent) => void>();

  constructor(mode: GithubAppAuthDefinition, options: GithubAppTokenProviderOptions) {
    if (mode?.type !== "githubApp") throw new ConfigurationError("GithubAppTokenProvider needs a githubApp auth mode");
    if (String(options.installationId ?? "") === "") throw new ConfigurationError("installationId is missing or empty");
    this.#mode = mode;
    this.#options = options;
    this.#now = options.now ?? (options.clock ? () => options.clock!.now() : Date.now);
    this.#clock = options.clock ?? { ...systemClock, now: this.#now };
  }

  getToken(options?: TokenRequestOptions): Promise<string> {
    const token = this.#token;
    if (token && refreshAt(token.expiresAt, token.obtainedAt, this.#mode.refreshSkewMs) > this.#now()) return Promise.resolve(token.value);
    listenersOf(this.#options.onEvent, options, this.#listeners);
    if (!this.#minting) {
      const minting = this.#mint();
      this.#minting = minting;
      const clear = (): void => {
        this.#minting = undefined;
        this.#listeners.clear();
      };
      minting.then(clear, clear);
    }
    return this.#minting;
  }

  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  async #mint(): Promise<string> {
    const now = this.#now();
    const jwt = await createAppJwt({
      appId: this.#options.appId,
      privateKey: this.#options.privateKey,
      now,
      clockSkewMs: this.#mode.clockSkewMs,
      lifetimeMs: this.#mode.jwtLifetimeMs,
    });
    const template = this.#options.installationTokenUrl ?? this.#mode.installationTokenUrl;
    const url = template.replace("{installationId}", encodeURIComponent(String(this.#options.installationId)));
    const policy = { grant: "installation_token" as const, replaySafe: true, secrets: [jwt, this.#token?.value] };
    // Shared by every call waiting for the token: bounded on its own; each call stops waiting at its deadline.
    const response = await sendWithPolicies(
      {
        url,
        method: "POST",
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${jwt}`,
          "content-type": "application/json",
          "user-agent": "switchboard",
        },
        body: JSON.stringify(this.#options.request ?? {}),
      },
      {
        ...policy,
        fetch: this.#options.fetch ?? globalThis.fetch,
        clock: this.#clock,
        timeoutMs: this.#options.timeoutMs ?? 30_000,
        ...(this.#options.retry !== undefined && { retry: this.#options.retry }),
        listeners: this.#listeners,
      },
    );
    const text = response.body;
    let body: { token?: unknown; expires_at?: unknown; message?: unknown } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    if (response.status !== 201 && response.status !== 200) {
      const message = typeof body?.message === "string" ? `: ${body.message.slice(0, 200)}` : "";
      throw describeTokenFailure(
        new OAuthError("installation_token_refused", `installation token request answered HTTP ${response.status}${message}`, {
          status: response.status,
        }),
        response,
        policy,
      );
    }
    const expiresAt = typeof body?.expires_at === "string" ? Date.parse(body.expires_at) : NaN;
    if (typeof body?.token !== "string" || body.token === "" || !Number.isFinite(expiresAt)) {
      throw describeTokenFailure(
        new OAuthError("invalid_response", "installation token answer has no token or expires_at", { status: response.status }),
        response,
        policy,
      );
    }
    this.#token = { value: body.token, expiresAt, obtainedAt: now };
    return body.token;
  }
}
