/**
 * SendGrid transactional email: one message from a dynamic template, then a bulk send of the same template
 * to 2,500 recipients, split into requests of at most 1,000 personalizations (SendGrid's limit per
 * request). A recipient SendGrid calls invalid (invalid_recipient_email, a code the spec gives by field)
 * is dropped from the list and the batch sent again. Delivery events come back on the signed Event Webhook
 * (ECDSA), verified with the account's public key. Runs against the mock SendGrid, no network.
 *
 * The split is the generated `mail.sendBatched` (the spec's `batch: { items: personalizations, max: 1000 }`):
 * it sends the parts one after the other through the client's pipeline and says which recipients each
 * part carried and how it ended, so only the failed parts are sent again.
 */
import { startMockProvider } from "switchboard/testing";
import { createSendgridClient, recoverSendgridError, verifySendgridWebhook } from "../../generated/sendgrid/index.js";
import { startWebhookEndpoint } from "../shared/webhook-endpoint.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

/** SendGrid's limit of personalizations per mail/send request (the spec's batch.max, which sendBatched splits by), for the message. */
const MAX_PERSONALIZATIONS = 1000;
const TEMPLATE = "d-0123456789abcdef0123456789abcdef";

type SendgridClient = ReturnType<typeof createSendgridClient>;
interface Recipient {
  readonly email: string;
  readonly name: string;
}

export interface EmailResult {
  /** mail/send requests made for the bulk send. */
  readonly batches: number;
  readonly recipients: number;
  /** Event types the Event Webhook delivered, verified. */
  readonly events: readonly string[];
}

export async function run(view: LiveView = terminalView()): Promise<EmailResult> {
  const events: string[] = [];
  let publicKey = "";
  const endpoint = await startWebhookEndpoint(async (delivery) => {
    const event = await verifySendgridWebhook(delivery, { publicKey });
    // A delivery is a JSON array of events, each with its own type.
    for (const item of (event.payload ?? []) as { event?: string; email?: string }[]) {
      events.push(item.event ?? "unknown");
      view.event("sendgrid", item.event ?? "unknown", item.email);
    }
  });
  // No random 503s here: a mail/send that failed with a 5xx may have been sent, so the client does not retry it.
  const mock = await startMockProvider("specs/sendgrid.yaml", { webhookUrl: endpoint.url });
  publicKey = mock.webhookSecret;
  try {
    const sendgrid = createSendgridClient({ auth: { token: "SG.example-key" }, baseUrl: mock.url, onEvent: view.client });

    view.step("send the welcome email from the dynamic template");
    await sendgrid.mail.send({
      body: {
        from: { email: "hello@example.com", name: "Example" },
        template_id: TEMPLATE,
        personalizations: [{ to: [{ email: "ada@example.com" }], dynamic_template_data: { name: "Ada", plan: "Pro" } }],
      },
    });

    const recipients = Array.from({ length: 2500 }, (_, i) => ({ email: `user${i}@example.com`, name: `User ${i}` }));
    view.step(`bulk send to ${recipients.length} recipients, ${MAX_PERSONALIZATIONS} per request`);
    mock.forceRateLimit(1); // SendGrid answers the first batch 429: the client waits and sends it again
    const batches = await sendInBatches(sendgrid, recipients, view);

    view.step("SendGrid reports delivery on the Event Webhook");
    await mock.trigger("delivered", {
      payload: [{ email: "ada@example.com", event: "delivered", sg_event_id: "sg_1", timestamp: 1_700_000_000 }],
    });
    return { batches, recipients: recipients.length, events };
  } finally {
    await mock.stop();
    await endpoint.close();
  }
}

/**
 * The bulk send through `mail.sendBatched`: one request per 1,000 recipients, each with its own dynamic
 * data. A part that failed because SendGrid calls an address invalid has that recipient dropped and its
 * other recipients sent again; any other failure stops the send. Returns the requests made.
 */
async function sendInBatches(sendgrid: SendgridClient, recipients: readonly Recipient[], view: LiveView): Promise<number> {
  let requests = 0;
  let pending: readonly (readonly Recipient[])[] = [recipients];
  while (pending.length > 0) {
    const again: (readonly Recipient[])[] = [];
    for (const group of pending) {
      const result = await sendgrid.mail.sendBatched({
        body: {
          from: { email: "hello@example.com", name: "Example" },
          template_id: TEMPLATE,
          personalizations: group.map((r) => ({ to: [{ email: r.email }], dynamic_template_data: { name: r.name } })),
        },
      });
      requests += result.parts.length;
      for (const part of result.failed) {
        const carried = group.slice(part.start, part.end);
        await recoverSendgridError(
          part.error,
          {
            // personalizations.N.to.0.email: N counts within the part; drop that recipient, send the rest again.
            invalid_recipient_email: ({ error }) => {
              const index = Number(/^personalizations\.(\d+)\./.exec(error?.param ?? "")?.[1] ?? Number.NaN);
              if (Number.isNaN(index)) throw error;
              again.push(carried.filter((_, i) => i !== index));
            },
          },
          { onRecovery: view.recovery },
        );
      }
    }
    pending = again.filter((group) => group.length > 0);
  }
  return requests;
}
