/**
 * `npm run demo`: every example in turn against its mock, with the live view on the terminal (colours on
 * a TTY, plain lines on a pipe). `npm run demo -- stripe-payment twilio-sms` runs only those.
 */
import { terminalView, type LiveView } from "./shared/live-view.js";
import { run as githubAppRepos } from "./github-app-repos/main.js";
import { run as githubOauthLogin } from "./github-oauth-login/main.js";
import { run as sendgridEmail } from "./sendgrid-email/main.js";
import { run as shopifyOrdersWebhook } from "./shopify-orders-webhook/main.js";
import { run as stripePayment } from "./stripe-payment/main.js";
import { run as stripeSubscription } from "./stripe-subscription/main.js";
import { run as twilioSms } from "./twilio-sms/main.js";

export const EXAMPLES: readonly { readonly name: string; readonly title: string; readonly run: (view: LiveView) => Promise<unknown> }[] = [
  { name: "stripe-subscription", title: "Stripe subscription billing (one request in five fails)", run: stripeSubscription },
  { name: "stripe-payment", title: "Stripe one-off payment (answers lost after the charge)", run: stripePayment },
  { name: "twilio-sms", title: "Twilio SMS with delivery tracking", run: twilioSms },
  { name: "sendgrid-email", title: "SendGrid dynamic template and bulk send", run: sendgridEmail },
  { name: "github-oauth-login", title: "Sign in with GitHub (code + PKCE)", run: githubOauthLogin },
  { name: "github-app-repos", title: "GitHub App listing repositories", run: githubAppRepos },
  { name: "shopify-orders-webhook", title: "Shopify orders webhook handler", run: shopifyOrdersWebhook },
];

/** Runs the named examples (all when none), printing as they go; resolves with the number that failed. */
export async function runDemo(
  names: readonly string[] = [],
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Promise<number> {
  const unknown = names.filter((n) => !EXAMPLES.some((e) => e.name === n));
  if (unknown.length > 0) {
    stream.write(`unknown example ${unknown.join(", ")}; examples: ${EXAMPLES.map((e) => e.name).join(", ")}\n`);
    return 1;
  }
  const bold = stream.isTTY === true && process.env["NO_COLOR"] === undefined ? (t: string) => `\u001b[1m${t}\u001b[0m` : (t: string) => t;
  let failed = 0;
  for (const example of EXAMPLES.filter((e) => names.length === 0 || names.includes(e.name))) {
    stream.write(`\n${bold(`▶ ${example.name}: ${example.title}`)}\n`);
    const started = Date.now();
    try {
      const result = await example.run(terminalView({ stream }));
      stream.write(`${bold("✔ done")} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(result)}\n`);
    } catch (error) {
      failed += 1;
      stream.write(`${bold("✘ failed")}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    }
  }
  return failed;
}
