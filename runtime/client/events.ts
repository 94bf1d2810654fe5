/**
 * What a client reports as it works, for logs, metrics and traces. Every event is plain data with
 * secrets already redacted (see redact.ts); a hook that throws never affects the request.
 */
import type { BreakerState } from "../policies/circuit-breaker.js";
import type { RetryReason } from "../policies/retry.js";
import type { DeprecationSignal } from "../versions/versions.js";
import type { TokenRequestEvent } from "./credentials.js";

interface CallEvent {
  readonly provider: string;
  /** The spec's operation id: customers.create. */
  readonly operation: string;
  readonly method: string;
  /** Redacted. */
  readonly url: string;
}

export type ClientEvent =
  | (CallEvent & {
      readonly type: "request";
      /** 1 for the first attempt. */
      readonly attempt: number;
      /** Redacted. */
      readonly headers: Readonly<Record<string, string>>;
      readonly idempotencyKey: string | undefined;
    })
  | (CallEvent & {
      readonly type: "response";
      readonly attempt: number;
      readonly status: number;
      readonly durationMs: number;
      readonly requestId: string | undefined;
    })
  | (CallEvent & {
      /** The attempt got no response: a network error or its timeout. */
      readonly type: "attemptFailed";
      readonly attempt: number;
      readonly errorCode: string;
      readonly durationMs: number;
    })
  | (CallEvent & {
      readonly type: "retry";
      /** The attempt that failed; the next one is attempt + 1. */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: RetryReason;
    })
  | (CallEvent & { readonly type: "rateLimitWait"; readonly bucket: string; readonly waitedMs: number })
  | (CallEvent & {
      /** The provider answered rate-limited (429 or what the spec declares). */
      readonly type: "rateLimited";
      readonly status: number;
      /** Epoch ms the bucket is paused until. */
      readonly retryAt: number;
    })
  | (CallEvent & {
      /** The call uses an API version the spec marks deprecated, or whose sunset is past or within 30 days; once per client and version. */
      readonly type: "versionDeprecated";
      readonly apiVersion: string;
      readonly deprecated: string | undefined;
      readonly sunset: string | undefined;
      readonly message: string;
    })
  | (CallEvent &
      DeprecationSignal & {
        /** The answer said the operation is deprecated (Deprecation, provider headers) or its Sunset is near; once per operation and value. */
        readonly type: "deprecation";
        readonly apiVersion: string | undefined;
      })
  | (CallEvent & {
      /**
       * A per-call apiVersion's answer was migrated to the client's version ("unknown": no migration chain,
       * body untouched); with `request`, a call sent at another version than the pinned one was rewritten
       * from the pinned version's shape (`from`) for it (`to`).
       */
      readonly type: "migration";
      readonly request?: true;
      readonly from: string;
      readonly to: string;
      readonly outcome: "migrated" | "current" | "unknown";
    })
  | {
      /** A store the client does not own failed (first failure) or answers again; see docs/pipeline.md. */
      readonly type: "storeFailure" | "storeRecovered";
      readonly provider: string;
      /** A client's own events name its rate-limit store; token managers and webhook handlers report theirs (StoreHealthEvent). */
      readonly store: "rateLimit" | "token" | "dedup";
      /** What the store threw, by code or name only. */
      readonly error?: string;
    }
  | (TokenRequestEvent & {
      /** A token request made for one of this client's calls (see docs/pipeline.md). */
      readonly provider: string;
    })
  | {
      readonly type: "breakerStateChange";
      readonly provider: string;
      /** provider name, host or bucket, by the breaker's scope. */
      readonly key: string;
      readonly from: BreakerState;
      readonly to: BreakerState;
    };

export type ClientEventListener = (event: ClientEvent) => void;

type WithoutCall<E> = E extends { readonly operation: string } ? Omit<E, "provider" | "operation" | "method" | "url"> : never;

/** Reports an event of one call: the provider, operation, method and (redacted) URL are added. */
export type CallEmit = (event: WithoutCall<ClientEvent>) => void;
