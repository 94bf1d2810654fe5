/** examples/twilio-sms against the mock Twilio: verified status callbacks tracked, a 30001 failure rescheduled. */
import { expect, it } from "vitest";
import { run } from "../../examples/twilio-sms/main.js";
import { recordingView } from "../../examples/shared/live-view.js";

it("tracks each message's status from verified callbacks and schedules the queue-overflow failure for later", async () => {
  const view = recordingView();
  const result = await run(view);
  // One status per message: each has its own sid.
  expect(Object.keys(result.statuses)).toHaveLength(2);
  for (const sid of Object.keys(result.statuses)) expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
  const statuses = Object.values(result.statuses);
  expect(statuses.sort()).toEqual(["delivered", "failed"]);
  expect(result.rescheduled).toHaveLength(1);
  expect(result.rescheduled[0]!.afterMs).toBe(60_000);
  expect(view.lines.some((l) => l === "⚕ recovery twilio 30001: scheduleLater after 60.0 s")).toBe(true);
  expect(view.lines.join("\n")).not.toContain("auth-token");
});
