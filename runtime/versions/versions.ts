/**
 * API versions at run time: the version a call sends (checked against the supported list), a one-time
 * warning for a deprecated version, deprecation and sunset signals read from responses (RFC 9745
 * Deprecation, RFC 8594 Sunset and the provider's own headers), and the check of a webhook payload's
 * version against the pinned one.
 */
import type { ClientParts, DeprecatedVersion } from "../client/parts.js";
import type { VersionsDefinition, WebhookVersionsDefinition } from "../definition.js";
import { UnsupportedVersionError } from "../errors/errors.js";
import { findMigrationChain } from "./migrations.js";
import type { ResponseHeaders } from "../transport/transport.js";

/**
 * A Sunset this close (or past) is reported: 30 days. Written as a literal: a product of constants is code
 * a bundler keeps in every application that imports this module, whether it reads the value or not.
 */
export const SUNSET_WARNING_MS = 2_592_000_000;

/** Throws UnsupportedVersionError unless `version` is one the spec lists as supported. */
export function checkVersion(provider: string, versions: VersionsDefinition | undefined, version: string): string {
  const supported = versions ? Object.keys(versions.supported) : [];
  if (!versions || (supported.length > 0 && !Object.hasOwn(versions.supported, version))) {
    throw new UnsupportedVersionError(provider, version, supported);
  }
  return version;
}

export interface VersionLifecycle {
  readonly version: string;
  /** The spec's deprecation date (YYYY-MM-DD) when it has passed. */
  readonly deprecated: string | undefined;
  /** The spec's sunset date, when it has one. */
  readonly sunset: string | undefined;
  /** Deprecated, or its sunset is past or within 30 days. */
  readonly warn: boolean;
}

/** What the spec says about `version` at time `now`. */
export function versionLifecycle(versions: VersionsDefinition, version: string, now: number): VersionLifecycle {
  const entry = Object.hasOwn(versions.supported, version) ? versions.supported[version] : undefined;
  const deprecated = entry?.deprecated !== undefined && Date.parse(entry.deprecated) <= now ? entry.deprecated : undefined;
  const sunset = entry?.sunset;
  const sunsetSoon = sunset !== undefined && Date.parse(sunset) - now <= SUNSET_WARNING_MS;
  return { version, deprecated, sunset, warn: deprecated !== undefined || sunsetSoon };
}

const WARNED = Symbol.for("switchboard.deprecatedVersionsWarned");

/**
 * process.emitWarning once per process for provider@version, whichever copy of the runtime asks (the
 * set lives on globalThis under a registered symbol). Returns whether this call warned.
 */
export function warnOncePerProcess(provider: string, lifecycle: VersionLifecycle): boolean {
  const store = globalThis as { [WARNED]?: Set<string> };
  const warned = (store[WARNED] ??= new Set());
  const key = `${provider}@${lifecycle.version}`;
  if (warned.has(key)) return false;
  warned.add(key);
  const emitWarning = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } }).process?.emitWarning;
  emitWarning?.(deprecationMessage(provider, lifecycle), { type: "DeprecationWarning", code: "SWITCHBOARD_DEPRECATED_API_VERSION" });
  return true;
}

export function deprecationMessage(provider: string, lifecycle: VersionLifecycle): string {
  const parts = [
    lifecycle.deprecated !== undefined ? `deprecated since ${lifecycle.deprecated}` : undefined,
    lifecycle.sunset !== undefined ? `sunset ${lifecycle.sunset}` : undefined,
  ].filter(Boolean);
  return `${provider} API version ${lifecycle.version} is ${parts.join(", ")}; move to a supported version`;
}

/**
 * A deprecated version, or one whose sunset is near, as the spec marks it at `now`: warned about once per
 * process (warnOncePerProcess) and described for the client's `versionDeprecated` event; undefined otherwise.
 */
export function deprecatedVersion(
  provider: string,
  versions: VersionsDefinition,
  version: string,
  now: number,
): DeprecatedVersion | undefined {
  const lifecycle = versionLifecycle(versions, version, now);
  if (!lifecycle.warn) return undefined;
  warnOncePerProcess(provider, lifecycle);
  return { deprecated: lifecycle.deprecated, sunset: lifecycle.sunset, message: deprecationMessage(provider, lifecycle) };
}

/** The client part for a spec that marks versions deprecated or sunset (../client/parts.ts). */
export const deprecatedVersionWarnings: ClientParts = {
  checkVersionLifecycle(definition, version, clock, checked, emit) {
    if (checked.has(version) || !definition.versions) return;
    checked.add(version);
    const deprecated = deprecatedVersion(definition.name, definition.versions, version, clock.now());
    if (deprecated) emit?.({ type: "versionDeprecated", apiVersion: version, ...deprecated });
  },
};

/** Deprecation signals of one response. */
export interface DeprecationSignal {
  /** The Deprecation header as sent (RFC 9745 "@<epoch seconds>", or an HTTP date from older servers). */
  readonly deprecation: string | undefined;
  /** Epoch ms of the Deprecation date, when it has one. */
  readonly deprecatedAt: number | undefined;
  readonly sunset: string | undefined;
  /** Epoch ms of the Sunset date (RFC 8594 HTTP date). */
  readonly sunsetAt: number | undefined;
  /** The Sunset is past or within 30 days. */
  readonly sunsetSoon: boolean;
  /** The provider's own deprecation headers that were present (versions.deprecationHeaders), by lower-case name. */
  readonly notices: Readonly<Record<string, string>>;
}

/**
 * Reads Deprecation, Sunset and the provider's own deprecation headers. Undefined when there is
 * nothing to report: no header at all, or only a Sunset more than 30 days away.
 */
export function readDeprecation(headers: ResponseHeaders, providerHeaders: readonly string[], now: number): DeprecationSignal | undefined {
  const deprecation = headers.get("deprecation") ?? undefined;
  const sunset = headers.get("sunset") ?? undefined;
  let notices: Record<string, string> | undefined;
  for (const name of providerHeaders) {
    const value = headers.get(name);
    if (value !== null) (notices ??= {})[name.toLowerCase()] = value;
  }
  const sunsetAt = sunset === undefined ? undefined : finite(Date.parse(sunset));
  const sunsetSoon = sunsetAt !== undefined && sunsetAt - now <= SUNSET_WARNING_MS;
  if (deprecation === undefined && notices === undefined && !sunsetSoon) return undefined;
  const structured = deprecation === undefined ? null : /^@(-?\d+)$/.exec(deprecation.trim());
  const deprecatedAt = structured ? Number(structured[1]) * 1000 : deprecation === undefined ? undefined : finite(Date.parse(deprecation));
  return { deprecation, deprecatedAt, sunset, sunsetAt, sunsetSoon, notices: notices ?? {} };
}

function finite(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

export interface WebhookVersionCheck {
  /**
   * "match": the payload is at the pinned version; "mismatch": it is at another supported version
   * (migratePayload can bring it to the pinned shape when `migratable`); "unsupported": a version the
   * spec does not list; "missing": the payload declares none.
   */
  readonly status: "match" | "mismatch" | "unsupported" | "missing";
  readonly pinned: string;
  readonly version: string | undefined;
  /** A chain of migrations leads from the payload's version to the pinned one. */
  readonly migratable: boolean;
}

/**
 * Compares the API version a webhook payload declares (Stripe's `api_version`, Shopify's
 * X-Shopify-API-Version header) with the pinned one, or `expected` when the client overrides it.
 */
export function checkWebhookVersion(
  versions: WebhookVersionsDefinition,
  payloadVersion: string | null | undefined,
  expected: string = versions.pinned,
): WebhookVersionCheck {
  const version = payloadVersion ?? undefined;
  if (version === undefined || version === "") return { status: "missing", pinned: expected, version: undefined, migratable: false };
  if (version === expected) return { status: "match", pinned: expected, version, migratable: false };
  const migratable = findMigrationChain(versions, version, expected) !== undefined;
  const status = Object.hasOwn(versions.supported, version) ? "mismatch" : "unsupported";
  return { status, pinned: expected, version, migratable };
}
