/** Stage 4, emit: every emitter's files for one provider, sorted by path. */
import type { SpecModel } from "../model/ir.js";
import { compareCodePoints } from "../common/sort.js";
import { emitClient } from "./client.js";
import type { EmitContext, EmittedFile } from "./context.js";
import { emitErrors } from "./errors.js";
import { emitIndex } from "./index.js";
import { emitVersions } from "./versions.js";
import { emitWebhookVerify } from "./webhook-verify.js";
import { emitWebhooks } from "./webhooks.js";

export function emitProvider(model: SpecModel, ctx: EmitContext): EmittedFile[] {
  const files = [
    ...emitClient(model, ctx),
    ...emitErrors(model, ctx),
    ...emitVersions(model, ctx),
    ...emitWebhooks(model, ctx),
    ...emitWebhookVerify(model, ctx),
  ];
  return [...files, ...emitIndex(model, ctx, files)].sort((a, b) => compareCodePoints(a.path, b.path));
}
