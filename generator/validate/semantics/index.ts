/**
 * Stage 2b, semantic checks the JSON Schema cannot express: references resolve, names do not collide
 * once turned into identifiers, sections agree with each other. One module per spec section; this file
 * only runs them. Written defensively: the checks run even when the schema found problems, so that one
 * run reports everything (loadSpec sorts the diagnostics by position afterwards).
 */
import type { Diagnostic } from "../../diagnostics.js";
import type { SpecSource } from "../../parse/parse.js";
import { checkAuth, checkDefaultScopes, checkOperationAuth } from "./auth.js";
import { checkCircuitBreaker } from "./circuit-breaker.js";
import { checkEnvironments } from "./environments.js";
import { checkErrors } from "./errors.js";
import { checkOperations } from "./operations.js";
import { checkImportedPagination } from "./pagination.js";
import { checkRateLimits } from "./rate-limits.js";
import { dict, type Dict, type Report } from "./read.js";
import { checkRetry } from "./retry.js";
import { checkVariables } from "./variables.js";
import { checkVersions } from "./versions.js";
import { checkWebhooks } from "./webhooks.js";

/** The section checks, in the order they run. */
const SECTIONS: readonly ((doc: Dict, report: Report) => void)[] = [
  checkEnvironments,
  checkVariables,
  checkAuth,
  checkDefaultScopes,
  checkImportedPagination,
  checkOperations,
  checkOperationAuth,
  checkRateLimits,
  checkVersions,
  checkWebhooks,
  checkErrors,
  checkRetry,
  checkCircuitBreaker,
];

export function checkSemantics(source: SpecSource, document: unknown): Diagnostic[] {
  const doc = dict(document) ?? {};
  const out: Diagnostic[] = [];
  const report: Report = (path, code, message, options) => out.push(source.diagnostic(path, code, message, options));
  for (const check of SECTIONS) check(doc, report);
  return out;
}
