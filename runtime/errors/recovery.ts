/**
 * Typed recovery: an application's handlers for a provider's known error codes, and the recoveries a
 * spec declares where the provider documents one (errors.codes.<code>.recovery). Generated code gives
 * each provider a `recover<Provider>Error` over this function, typed by the provider's code union, so a
 * misspelt code fails to compile and `satisfies` can require every code of a kind.
 */
import type { ErrorCodeDefinition, RecoveryDefinition } from "../definition.js";
import { systemClock, type Clock } from "../clock.js";
import { isProviderError, SwitchboardError, hasCode, type ProviderError } from "./errors.js";

/** What a recovery handler receives. */
export interface RecoveryCase<Code extends string, E extends ProviderError> {
  /** The provider's code, one of the spec's errors.codes. */
  readonly code: Code;
  /** The error the provider answered; undefined when the code came from elsewhere (a delivery status's error code). */
  readonly error: E | undefined;
  /** The recovery the spec declares for this code, if any (what happens without a handler). */
  readonly builtIn: RecoveryDefinition | undefined;
}

/** Handles one code; what it returns (or resolves to) is what `recover` resolves to. */
export type RecoveryHandler<Code extends string, E extends ProviderError, R> = (failure: RecoveryCase<Code, E>) => R | Promise<R>;

/**
 * Handlers by code: every key must be one of `Code` (an object literal with another key fails to
 * compile), and the codes in `Required` must all be there.
 */
export type RecoveryHandlers<Code extends string, E extends ProviderError, R, Required extends Code = never> = {
  readonly [C in Code]?: RecoveryHandler<C, E, R>;
} & { readonly [C in Required]-?: RecoveryHandler<C, E, R> };

export interface RecoverOptions<R> {
  /**
   * Makes the failed call again with this idempotency key (the failed call's own, from the error): what
   * a `retrySameKey` recovery runs after its wait. Without it, `retrySameKey` does not apply.
   */
  readonly retry?: (idempotencyKey: string | undefined) => Promise<R>;
  /** Hands the work to the application's scheduler, to run again after `delayMs`: what `scheduleLater` runs. */
  readonly schedule?: (delayMs: number, failure: RecoveryCase<string, ProviderError>) => R | Promise<R>;
  /** Called when neither a handler nor a built-in recovery applies; without it the failure is thrown. */
  readonly otherwise?: (failure: unknown) => R | Promise<R>;
  /** How many times `retrySameKey` makes the call again before the last failure is thrown. @default 3 */
  readonly maxRetries?: number;
  /** Waits before a retry (give the client's clock to tests). @default systemClock */
  readonly clock?: Pick<Clock, "sleep">;
  readonly signal?: AbortSignal;
  /** Told of every recovery applied, for logs and live views. */
  readonly onRecovery?: (event: RecoveryEvent) => void;
}

/** One recovery applied: a handler by code, or a built-in action. */
export interface RecoveryEvent {
  readonly provider: string;
  readonly code: string;
  readonly by: "handler" | RecoveryDefinition["action"];
  /** Milliseconds waited (retrySameKey) or asked of the scheduler (scheduleLater). */
  readonly afterMs?: number;
}

/** Neither a handler nor a built-in recovery applied to a failure that is not itself an Error (a bare code). */
export class UnrecoveredError extends SwitchboardError {
  static override readonly errorName: string = "UnrecoveredError";
  static override readonly code = "unrecovered";
  declare readonly provider: string;
  declare readonly failureCode: string;
  constructor(provider: string, failureCode: string) {
    super(UnrecoveredError.code, `no recovery for ${provider} code ${JSON.stringify(failureCode)}`);
    this.provider = provider;
    this.failureCode = failureCode;
  }
}

export function isUnrecoveredError(value: unknown): value is UnrecoveredError {
  return hasCode(value, UnrecoveredError.code);
}

/**
 * Runs the recovery for `failure`: a caught error (a ProviderError of `provider` whose `knownCode` is
 * set) or a bare code (a string or number, such as the error code of a failed delivery). The
 * application's handler for the code wins; else the spec's built-in recovery runs (retrySameKey needs
 * `options.retry`, scheduleLater `options.schedule`); else `options.otherwise`; else the failure is
 * thrown (a bare code as UnrecoveredError).
 */
export async function recoverFrom<R>(
  provider: string,
  codes: Readonly<Record<string, ErrorCodeDefinition>>,
  failure: unknown,
  handlers: object,
  options: RecoverOptions<R> = {},
): Promise<R> {
  // The generated caller typed each handler by its code; here they are looked up by the code at hand.
  const byCode = handlers as Readonly<Record<string, RecoveryHandler<string, ProviderError, R> | undefined>>;
  const maxRetries = options.maxRetries ?? 3;
  let current = failure;
  for (let retries = 0; ; retries++) {
    const error = isProviderError(current) && current.provider === provider ? current : undefined;
    const raw = error ? error.knownCode : typeof current === "string" || typeof current === "number" ? String(current) : undefined;
    const code = raw !== undefined && Object.hasOwn(codes, raw) ? raw : undefined;
    if (code === undefined) return unrecovered(provider, current, raw, options);
    const builtIn = codes[code]!.recovery;
    const recoveryCase: RecoveryCase<string, ProviderError> = { code, error, builtIn };
    const handler = Object.hasOwn(byCode, code) ? byCode[code] : undefined;
    if (handler !== undefined) {
      options.onRecovery?.({ provider, code, by: "handler" });
      return handler(recoveryCase);
    }
    if (builtIn?.action === "scheduleLater" && options.schedule) {
      options.onRecovery?.({ provider, code, by: "scheduleLater", afterMs: builtIn.afterMs });
      return options.schedule(builtIn.afterMs, recoveryCase);
    }
    if (builtIn?.action !== "retrySameKey" || !options.retry || error === undefined || retries >= maxRetries) {
      return unrecovered(provider, current, code, options);
    }
    options.onRecovery?.({ provider, code, by: "retrySameKey", afterMs: builtIn.afterMs });
    await (options.clock ?? systemClock).sleep(builtIn.afterMs, options.signal);
    try {
      return await options.retry(error.idempotencyKey);
    } catch (next) {
      current = next;
    }
  }
}

function unrecovered<R>(provider: string, failure: unknown, code: string | undefined, options: RecoverOptions<R>): R | Promise<R> {
  if (options.otherwise) return options.otherwise(failure);
  if (typeof failure === "string" || typeof failure === "number") throw new UnrecoveredError(provider, code ?? String(failure));
  throw failure;
}
