/**
 * A typed handler registry for verified webhook events. `on(type, handler)` narrows the event the
 * handler receives to the events of that type; `dispatch(event)` runs the matching handlers.
 */
import { ConfigurationError, hasCode, SwitchboardError } from "../errors/errors.js";
import type { WebhookEvent } from "./webhook-event.js";

/**
 * Handles one event. What it returns is awaited and otherwise ignored (so `(e) => db.insert(e)` is a
 * handler too); a throw or a rejection fails the dispatch.
 */
export type WebhookEventHandler<Event extends WebhookEvent> = (event: Event) => unknown;

/** The events of a union whose `type` is `Type`. */
export type WebhookEventOfType<Event extends WebhookEvent, Type extends Event["type"]> = Extract<Event, { readonly type: Type }>;

export interface WebhookRouterOptions {
  /**
   * Every event type the provider sends. When given, `on()` refuses other types at run time too
   * (the types already refuse them at compile time), so that a typo in JavaScript is not a handler
   * that silently never runs.
   */
  readonly types?: readonly string[];
}

interface Route<Event extends WebhookEvent> {
  /** undefined: every event. */
  readonly types: ReadonlySet<string> | undefined;
  readonly handler: WebhookEventHandler<Event>;
}

/**
 * Routes events to handlers.
 *
 * `dispatch` runs the handlers registered for the event's type and the `onAny` handlers, one at a
 * time in the order they were registered, and resolves when all have finished. The first handler
 * that fails stops the dispatch, and `dispatch` rejects with a `WebhookHandlerError` whose `cause` is
 * the handler's error: answer the delivery with a non-2xx status so that the provider delivers it
 * again (handlers therefore run again, and must be idempotent).
 *
 * @example
 * const router = new WebhookRouter<StripeWebhookEvent>()
 *   .on("payment_intent.succeeded", (e) => fulfil(e.payload.data.object.id))
 *   .onAny((e) => log(e.type));
 * await router.dispatch(event);
 */
export class WebhookRouter<Event extends WebhookEvent = WebhookEvent> {
  readonly #routes: Route<Event>[] = [];
  readonly #known: ReadonlySet<string> | undefined;

  constructor(options: WebhookRouterOptions = {}) {
    if (options.types !== undefined && !Array.isArray(options.types))
      throw new ConfigurationError("WebhookRouter: types must be an array of strings");
    this.#known = options.types === undefined ? undefined : new Set(options.types);
  }

  /** Runs `handler` for events of `type` (or of any of several types), with the event narrowed. */
  on<Type extends Event["type"]>(type: Type | readonly Type[], handler: WebhookEventHandler<WebhookEventOfType<Event, Type>>): this {
    const types: readonly unknown[] = Array.isArray(type) ? type : [type];
    if (types.length === 0) throw new ConfigurationError("WebhookRouter.on: no event type given");
    for (const t of types) {
      if (typeof t !== "string") throw new ConfigurationError("WebhookRouter.on: an event type must be a string");
      if (this.#known !== undefined && !this.#known.has(t))
        throw new ConfigurationError(`WebhookRouter.on: unknown event type ${JSON.stringify(t)}`);
    }
    checkHandler(handler, "on");
    // Sound: the route runs only for events whose type is one of `types`, i.e. WebhookEventOfType<Event, Type>.
    this.#routes.push({ types: new Set(types as string[]), handler: handler as WebhookEventHandler<Event> });
    return this;
  }

  /** Runs `handler` for every event. */
  onAny(handler: WebhookEventHandler<Event>): this {
    checkHandler(handler, "onAny");
    this.#routes.push({ types: undefined, handler });
    return this;
  }

  /** Whether some handler would run for events of `type`. */
  handles(type: string): boolean {
    return this.#routes.some((r) => r.types === undefined || r.types.has(type));
  }

  /** Runs the matching handlers in registration order; rejects with a WebhookHandlerError if one fails. */
  async dispatch(event: Event): Promise<void> {
    if (typeof event !== "object" || event === null || typeof event.type !== "string") {
      throw new ConfigurationError("WebhookRouter.dispatch: the event must be an object with a string type");
    }
    let index = 0;
    for (const route of [...this.#routes]) {
      index++;
      if (route.types !== undefined && !route.types.has(event.type)) continue;
      try {
        await route.handler(event);
      } catch (error) {
        throw new WebhookHandlerError(event, index, error);
      }
    }
  }
}

function checkHandler(handler: unknown, method: string): void {
  if (typeof handler !== "function") throw new ConfigurationError(`WebhookRouter.${method}: the handler must be a function`);
}

/** A webhook handler failed; `cause` is what it threw. The event is not done: answer non-2xx. */
export class WebhookHandlerError extends SwitchboardError {
  static override readonly errorName: string = "WebhookHandlerError";
  static override readonly code = "webhook_handler_failed";
  declare readonly eventType: string;
  declare readonly eventId: string | undefined;
  /** 1-based position of the failed handler among the registered handlers. */
  declare readonly handler: number;

  constructor(event: WebhookEvent, handler: number, cause: unknown) {
    super(
      WebhookHandlerError.code,
      `webhook handler #${handler} failed for event ${JSON.stringify(event.type)}${event.id === undefined ? "" : ` (id ${JSON.stringify(event.id)})`}`,
      {
        cause,
      },
    );
    this.eventType = event.type;
    this.eventId = event.id;
    this.handler = handler;
  }
}

export function isWebhookHandlerError(value: unknown): value is WebhookHandlerError {
  return hasCode(value, WebhookHandlerError.code);
}
