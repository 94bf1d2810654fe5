/**
 * What a generated method returns: a promise of the answer's body, typed per operation, with the rest
 * of the answer (status, headers, request id) one call away. Nothing is sent twice: the body and
 * `withResponse()` read the same answer.
 */
import type { ApiResponse } from "./client-core.js";

/** An answer with a known status and body type; generated methods describe theirs as a union of these. */
export interface TypedResponse<Status extends number, Body> extends ApiResponse {
  readonly status: Status;
  readonly body: Body;
}

/**
 * The answer to one call. Await it for the body; `.withResponse()` gives the status, headers and
 * request id too, from the same single request.
 */
export class ApiPromise<Response extends ApiResponse = ApiResponse> implements PromiseLike<Response["body"]> {
  #response: Promise<Response> | undefined;
  readonly #send: (() => Promise<ApiResponse>) | undefined;

  /**
   * A request already sent (`Promise`), or one sent when the answer is first asked for (a function,
   * called at most once).
   */
  constructor(response: Promise<ApiResponse> | (() => Promise<ApiResponse>)) {
    if (typeof response === "function") this.#send = response;
    else this.#response = response as Promise<Response>;
  }

  then<Result1 = Response["body"], Result2 = never>(
    onFulfilled?: ((body: Response["body"]) => Result1 | PromiseLike<Result1>) | null,
    onRejected?: ((reason: unknown) => Result2 | PromiseLike<Result2>) | null,
  ): Promise<Result1 | Result2> {
    // One reaction on the answer, not a body-reading step and then the caller's: this runs on every call.
    return this.withResponse().then(
      onFulfilled ? (response) => onFulfilled(response.body as Response["body"]) : (response) => response.body as Result1,
      onRejected,
    );
  }

  catch<Result = never>(onRejected?: ((reason: unknown) => Result | PromiseLike<Result>) | null): Promise<Response["body"] | Result> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<Response["body"]> {
    return this.then().finally(onFinally);
  }

  /** The whole answer: `status` narrows `body` to that status's type. */
  withResponse(): Promise<Response> {
    this.#response ??= this.#send!() as Promise<Response>;
    return this.#response;
  }

  get [Symbol.toStringTag](): string {
    return "ApiPromise";
  }
}
