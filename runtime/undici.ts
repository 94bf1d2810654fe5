/** `@switchboard/runtime/undici`: the Node transport, for callers who configure it (a proxy, a pool size). */
export { undiciTransport, type UndiciTransportOptions } from "./transport/undici.js";
