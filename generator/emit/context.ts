/** What every emitter receives besides the model: resolved once, read-only. */
export interface EmitContext {
  /** Module specifier generated code imports the runtime from. */
  readonly runtimeImport: string;
  readonly generatorVersion: string;
}

/** One generated file, path relative to the provider's output folder, text not yet formatted. */
export interface EmittedFile {
  readonly path: string;
  readonly text: string;
}
