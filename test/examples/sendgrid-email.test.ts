/** examples/sendgrid-email against the mock SendGrid: a dynamic-template send, a bulk send in batches of 1,000. */
import { expect, it } from "vitest";
import { run } from "../../examples/sendgrid-email/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("sends the template once and 2,500 recipients in three requests, and verifies the delivery event", async () => {
  const view = recordingView();
  const result = await run(view);
  expect(result).toEqual({ batches: 3, recipients: 2500, events: ["delivered"] });
  expect(view.lines).toContain("⚡ sendgrid webhook delivered verified: ada@example.com");
  // One welcome message and three batches reached the mock (retried 503s are shown, not counted here).
  expect(view.lines.filter((l) => l.startsWith("← 202 mail.send"))).toHaveLength(4);
  expect(view.lines).toContain("⏳ mail.send rate limited (429); bucket paused");
  expect(view.lines.join("\n")).not.toContain("SG.example-key");
});
