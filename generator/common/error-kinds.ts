/**
 * Kinds every provider can produce (the runtime's error classes and normalizer give each a meaning);
 * spec rules may add provider kinds (card_declined). Shared by validation (typo warnings) and the model.
 */
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
