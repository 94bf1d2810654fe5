/** Kinds every provider can produce; spec rules may add provider kinds (card_declined). */
export const COMMON_ERROR_KINDS = [
  "authentication",
  "permission",
  "not_found",
  "validation",
  "conflict",
  "idempotency_conflict",
  "rate_limited",
  "provider_unavailable",
  "timeout",
  "network",
  "circuit_open",
  "unknown",
] as const;
