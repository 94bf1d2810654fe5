/** The `npm run demo` runner (examples/demo.ts): plain lines on a pipe, colours on a TTY, unknown names refused. */
import { expect, it } from "vitest";
import { EXAMPLES, runDemo } from "../../examples/demo.js";
import { terminalView } from "../../examples/shared/live-view.js";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    stream: Object.assign({ write: (c: string) => chunks.push(c) > 0 }, { isTTY }) as unknown as NodeJS.WritableStream & { isTTY: boolean },
  };
}

it("lists one example per folder of examples/", () => {
  expect(EXAMPLES.map((e) => e.name).sort()).toEqual([
    "github-app-repos",
    "github-oauth-login",
    "sendgrid-email",
    "shopify-orders-webhook",
    "stripe-payment",
    "stripe-subscription",
    "twilio-sms",
  ]);
});

it("runs the named example with plain lines on a pipe, and refuses an unknown name", async () => {
  const pipe = capture(false);
  expect(await runDemo(["twilio-sms"], pipe.stream)).toBe(0);
  const text = pipe.chunks.join("");
  expect(text).toContain("▶ twilio-sms: Twilio SMS with delivery tracking");
  expect(text).toContain("⚕ recovery twilio 30001: scheduleLater after 60.0 s");
  expect(text).not.toContain("\u001b[");
  const refused = capture(false);
  expect(await runDemo(["stripe-payments"], refused.stream)).toBe(1);
  expect(refused.chunks.join("")).toContain("unknown example stripe-payments");
});

it("colours the live view on a TTY only", () => {
  const tty = capture(true);
  terminalView({ stream: tty.stream, color: true }).step("hello");
  expect(tty.chunks.join("")).toContain("\u001b[34m•\u001b[0m hello");
  const pipe = capture(false);
  terminalView({ stream: pipe.stream }).step("hello");
  expect(pipe.chunks.join("")).toBe("• hello\n");
});
