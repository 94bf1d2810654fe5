/** The generator's version, written into every generated header. */
export const GENERATOR_VERSION = "0.1.0";
