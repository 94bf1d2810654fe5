/** What a verification settled as, in one word the webhook tests compare: "valid", a verification error's code, or a configuration error. */
import { isConfigurationError, isWebhookVerificationError } from "../../runtime/index.js";

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "valid";
  } catch (error) {
    if (isWebhookVerificationError(error)) return error.code;
    if (isConfigurationError(error)) return `configuration: ${error.message}`;
    throw error;
  }
}
