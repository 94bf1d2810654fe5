/**
 * Error classes keep their names when an application bundles the runtime (issue 13): esbuild renames
 * classes when it minifies (and renames a class that refers to itself to `_TimeoutError` even without
 * minifying), so a `name` taken from `new.target.name` would read "t" or "_TimeoutError". Each entry is
 * bundled and minified with esbuild, loaded, and every exported error class is constructed.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const runtimeDir = path.resolve(import.meta.dirname, "../../../runtime");
const outDir = mkdtempSync(path.join(tmpdir(), "switchboard-bundled-names-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

type ErrorClass = (new (...args: never[]) => Error) & { readonly code?: string };

const providerInit = { provider: "stripe", status: 400, kind: "validation", message: "bad", retryable: false, raw: {} };

/** How to build each exported error class, and the `code` its instance carries. */
const CASES: Readonly<Record<string, { readonly args: readonly unknown[]; readonly code: string }>> = {
  SwitchboardError: { args: ["switchboard_error", "m"], code: "switchboard_error" },
  ConfigurationError: { args: ["m"], code: "configuration" },
  NetworkError: { args: ["stripe", "m"], code: "network" },
  ProviderError: { args: [providerInit], code: "provider_error" },
  AuthenticationError: { args: [{ ...providerInit, kind: "authentication" }], code: "provider_error" },
  PermissionError: { args: [{ ...providerInit, kind: "permission" }], code: "provider_error" },
  NotFoundError: { args: [{ ...providerInit, kind: "not_found" }], code: "provider_error" },
  ValidationError: { args: [providerInit], code: "provider_error" },
  ConflictError: { args: [{ ...providerInit, kind: "conflict" }], code: "provider_error" },
  IdempotencyConflictError: { args: [{ ...providerInit, kind: "idempotency_conflict" }], code: "provider_error" },
  ProviderUnavailableError: { args: [{ ...providerInit, kind: "provider_unavailable" }], code: "provider_error" },
  RateLimitError: { args: ["stripe", { source: "local", message: "m" }], code: "rate_limited" },
  CircuitOpenError: { args: ["stripe", 0], code: "circuit_open" },
  TimeoutError: { args: ["stripe", "attempt", 5], code: "timeout" },
  StreamProtocolError: { args: ["openai", "truncated", "the stream ended before its terminator"], code: "stream_protocol" },
  UnrecoveredError: { args: ["twilio", "30001"], code: "unrecovered" },
  StoreUnavailableError: { args: ["redis-rate-limit", "take", "no answer within 250 ms"], code: "store_unavailable" },
  UnsupportedVersionError: { args: ["stripe", "1999-01-01", []], code: "unsupported_version" },
  WebhookVerificationError: { args: ["stripe", "signature_mismatch", "m"], code: "signature_mismatch" },
  DedupStoreFullError: { args: [1], code: "dedup_store_full" },
  WebhookHandlerError: { args: [{ type: "t", id: undefined, data: {} }, 1, new Error("x")], code: "webhook_handler_failed" },
  OAuthError: { args: ["invalid_grant", "m"], code: "oauth_error" },
  ReauthorizationRequiredError: { args: ["m"], code: "reauthorization_required" },
  AuthorizationStateError: { args: ["m"], code: "invalid_state" },
  TokenStoreError: { args: ["m"], code: "token_store_corrupt" },
};

/** The entry bundled and minified as an application's bundler would, then loaded. */
async function bundled(entry: string): Promise<Record<string, unknown>> {
  const result = await build({
    entryPoints: [path.join(runtimeDir, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    write: false,
    external: ["undici"],
    logLevel: "error",
  });
  const file = path.join(outDir, `${entry.replace(/[/.]/g, "_")}.mjs`);
  writeFileSync(file, result.outputFiles[0]!.contents);
  // undici stays external; vitest's loader resolves the bundle's import of it from the project root.
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function errorClasses(exports: Record<string, unknown>): [string, ErrorClass][] {
  return Object.entries(exports).filter(
    (entry): entry is [string, ErrorClass] => typeof entry[1] === "function" && entry[1].prototype instanceof Error,
  );
}

describe("error classes bundled and minified with esbuild", () => {
  for (const entry of ["index.ts", "contract.ts", "auth/index.ts"]) {
    it(`${entry}: every exported error class has a case here, and its instances carry the class's name and code`, async () => {
      const exports = await bundled(entry);
      const classes = errorClasses(exports);
      expect(classes.length).toBeGreaterThan(0);
      for (const [exported, Class] of classes) {
        const known = CASES[exported];
        expect(known, `no case for ${exported}: add one to CASES`).toBeDefined();
        const error = new Class(...(known!.args as never[]));
        expect([exported, error.name, (error as Error & { code?: string }).code]).toEqual([exported, exported, known!.code]);
        expect(String(error).startsWith(`${exported}: `)).toBe(true);
      }
    });
  }
});
