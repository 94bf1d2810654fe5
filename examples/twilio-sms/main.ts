/**
 * Twilio SMS with delivery tracking: send messages with a StatusCallback, verify each status callback
 * (Twilio signs the URL and the form fields) and track every message's status. A message that fails with
 * 30001 (queue overflow) is scheduled to be sent again later: the recovery the Twilio spec declares for
 * that code. Runs against the mock Twilio, no network.
 */
import { startMockProvider } from "switchboard/testing";
import { createTwilioClient, recoverTwilioError, verifyTwilioWebhook } from "../../generated/twilio/index.js";
import { startWebhookEndpoint } from "../shared/webhook-endpoint.js";
import { terminalView, type LiveView } from "../shared/live-view.js";

const ACCOUNT = "AC00000000000000000000000000000000";

export interface SmsResult {
  /** The last status each message reached, by MessageSid. */
  readonly statuses: Readonly<Record<string, string>>;
  /** Messages handed to the application's scheduler, with the delay. */
  readonly rescheduled: readonly { readonly sid: string; readonly afterMs: number }[];
}

export async function run(view: LiveView = terminalView()): Promise<SmsResult> {
  const statuses: Record<string, string> = {};
  const rescheduled: { sid: string; afterMs: number }[] = [];
  let authToken = "";
  const endpoint = await startWebhookEndpoint(async (delivery) => {
    const event = await verifyTwilioWebhook(delivery, { secret: authToken });
    const fields = event.payload as Record<string, string | undefined>;
    const sid = fields["MessageSid"] ?? "unknown";
    statuses[sid] = event.type;
    view.event("twilio", event.type, `${sid}${fields["ErrorCode"] ? ` error ${fields["ErrorCode"]}` : ""}`);
    if (event.type === "failed" || event.type === "undelivered") {
      // A bare code from the callback: the handlers are typed by Twilio's codes; 30001 has a built-in recovery.
      await recoverTwilioError(
        fields["ErrorCode"] ?? "",
        { "21211": () => void (statuses[sid] = "invalid number") },
        {
          schedule: (afterMs) => void rescheduled.push({ sid, afterMs }), // enqueue the send in your job queue
          otherwise: () => undefined, // other codes: leave the message failed
          onRecovery: view.recovery,
        },
      );
    }
  });
  const mock = await startMockProvider("specs/twilio.yaml", { failRate: 0.2, seed: 2, webhookUrl: endpoint.url });
  authToken = mock.webhookSecret;
  try {
    const twilio = createTwilioClient({ auth: { username: ACCOUNT, password: "auth-token" }, baseUrl: mock.url, onEvent: view.client });
    const sids: string[] = [];
    for (const to of ["+15005550006", "+15005550007"]) {
      view.step(`send an SMS to ${to}`);
      const message = await twilio.messages.create({
        accountSid: ACCOUNT,
        body: { To: to, From: "+15005550001", Body: "Your code is 123456", StatusCallback: endpoint.url },
      });
      // Each message has its own sid (the mock makes one up per message, in Twilio's SM... form).
      if (message.sid === null || message.sid === undefined) throw new Error("Twilio answered without the message's sid");
      sids.push(message.sid);
    }
    view.step("Twilio reports each message's progress");
    const [first = "", second = ""] = sids;
    await mock.trigger("sent", { payload: { MessageSid: first, MessageStatus: "sent", AccountSid: ACCOUNT } });
    await mock.trigger("delivered", { payload: { MessageSid: first, MessageStatus: "delivered", AccountSid: ACCOUNT } });
    await mock.trigger("failed", { payload: { MessageSid: second, MessageStatus: "failed", ErrorCode: "30001", AccountSid: ACCOUNT } });
    return { statuses, rescheduled };
  } finally {
    await mock.stop();
    await endpoint.close();
  }
}
