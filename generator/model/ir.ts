/**
 * The normalized model (IR) of one spec: every default applied, every name resolved to an identifier,
 * everything sorted. Emitters read only this, never the YAML.
 */
import type { HttpMethod, OperationDefinition, ProviderDefinition } from "@switchboard/runtime/contract";

export interface SpecModel {
  /** Spec path as shown in headers and diagnostics (relative, forward slashes). */
  readonly file: string;
  /** SHA-256 of the spec's bytes, hex. */
  readonly sha256: string;
  readonly provider: {
    readonly name: string;
    readonly title: string;
    readonly description?: string;
    readonly docsUrl?: string;
  };
  /** Identifiers derived from the provider name: Stripe, stripe. */
  readonly names: { readonly pascal: string; readonly camel: string };
  /** The behaviour handed to the runtime, defaults applied. */
  readonly definition: ProviderDefinition;
  readonly environments: readonly { readonly name: string; readonly description?: string }[];
  /** URL variables the caller supplies, sorted by name. */
  readonly variables: readonly { readonly name: string; readonly description?: string; readonly required: boolean }[];
  readonly authModes: readonly { readonly name: string; readonly type: string; readonly description?: string }[];
  readonly groups: readonly GroupModel[];
  readonly errorCodes: readonly ErrorCodeModel[];
  /** Every normalized kind the spec can produce, common kinds first. */
  readonly errorKinds: readonly string[];
  readonly versions: readonly VersionModel[];
  readonly events: readonly EventModel[];
  /** Named types the operations refer to ($ref targets, shared objects), sorted by name; declared in types.ts. */
  readonly schemaDeclarations: readonly PayloadDeclaration[];
  /** The OpenAPI documents operations were imported from, in spec order. */
  readonly operationsImports: readonly { readonly from: string; readonly sha256: string; readonly version?: string }[];
  /** Named payload types ($ref targets of payload schemas), sorted by name; their text is final. */
  readonly payloadDeclarations: readonly PayloadDeclaration[];
  /** The document events were imported from, if any. */
  readonly eventsImport?: { readonly from: string; readonly sha256: string; readonly version?: string };
  /** Citations per section, kept as comments. */
  readonly sources: Readonly<Record<string, readonly string[]>>;
}

export interface GroupModel {
  /** Group name as written in the spec; dots nest it ("crm.contacts" is client.crm.contacts). */
  readonly name: string;
  /** Property on the client (client.paymentIntents), or on its parent group's object (contacts in crm.contacts). */
  readonly property: string;
  /** The group it nests in ("crm" for "crm.contacts"); undefined for a property of the client. */
  readonly parent?: string;
  /** Groups nested in it, in name order. */
  readonly children: readonly { readonly property: string; readonly className: string; readonly fileName: string }[];
  /** Resource class: PaymentIntents. */
  readonly className: string;
  /** File under resources/: payment-intents. */
  readonly fileName: string;
  readonly operations: readonly OperationModel[];
}

export interface ParameterModel {
  readonly name: string;
  /** Property name in the generated params object. */
  readonly property: string;
  readonly in: "path" | "query" | "header";
  readonly required: boolean;
  readonly description?: string;
  readonly deprecated?: boolean;
  /** Type text, declarations qualified as `types.<Name>`. */
  readonly type: string;
}

export interface ResponseModel {
  /** "200", "201", ...; "2XX" for a range. */
  readonly status: string;
  /** Type text of the body, declarations qualified as `types.<Name>`; "undefined" when there is none. */
  readonly type: string;
  readonly description?: string;
}

export interface OperationModel {
  readonly id: string;
  /** Method name in its group. */
  readonly method: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecated: boolean;
  readonly httpMethod: HttpMethod;
  readonly path: string;
  readonly params: readonly ParameterModel[];
  readonly body?: {
    readonly encoding: "json" | "form" | "multipart" | "raw";
    readonly required: boolean;
    readonly type: string;
    /** raw bodies: their media type. */
    readonly contentType?: string;
  };
  /** Success responses; empty when the source describes none (the result is then unknown). */
  readonly responses: readonly ResponseModel[];
  /** Name of the generated params type: CustomersCreateParams. */
  readonly paramsType: string;
  /** Name of the generated response type: CustomersCreateResponse. */
  readonly responseType: string;
  /** A streamed answer: the name of its event type (ChatStreamCompletionStreamEvent) and its declared events. */
  readonly stream?: {
    readonly typeName: string;
    /** In name order; undefined when the spec declares none (every event, data unknown). */
    readonly events?: readonly { readonly name: string; readonly type: string; readonly description?: string }[];
  };
  readonly definition: OperationDefinition;
}

export interface ErrorCodeModel {
  readonly code: string;
  readonly kind?: string;
  readonly retryable?: boolean;
  readonly hint?: string;
  readonly description?: string;
}

export interface VersionModel {
  readonly version: string;
  readonly deprecated?: string;
  readonly sunset?: string;
  readonly description?: string;
}

export interface EventModel {
  readonly type: string;
  /** Identifier for the event's type: PaymentIntentSucceededEvent. */
  readonly typeName: string;
  readonly description?: string;
  /** The payload's type, when the spec gives (or imports) a schema; otherwise the payload is unknown. */
  readonly payload?: {
    /** Identifier of the payload type: PaymentIntentSucceededPayload. */
    readonly typeName: string;
    /** Type text; declarations are referred to as `payloads.<Name>`. */
    readonly type: string;
  };
}

/** A named type the payloads (webhook-payloads.ts) or operations (types.ts) refer to. */
export interface PayloadDeclaration {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly deprecated?: boolean;
  /** What it was made from: `<document>#<JSON pointer>`. */
  readonly source: string;
}
