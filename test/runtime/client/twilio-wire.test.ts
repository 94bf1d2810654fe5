/**
 * The Twilio operations imported from twilio_api_v2010.json on the wire: the pinned version put back in
 * the path (the import's rebase), fetch, and lists paged by next_page_uri (relative to the API host,
 * null on the last page, twilio-node's Page.js) on a loopback server; and the retry facts of
 * providers.md's corrections: a 429 (error 20429) was never processed, so a POST is retried, the first
 * retry after at most 200 ms (twilio-node RequestClient.js: 100 ms x 2^n, n from 1).
 */
import { describe, expect, it } from "vitest";
import type { ClientEvent } from "../../../runtime/index.js";
import { fastClock } from "../../../testing/index.js";
import { createTwilioClient } from "../../../generated/twilio/index.js";
import { json, useLoopbackServer } from "../../helpers/loopback-server.js";

const accountSid = "AC00000000000000000000000000000000";
const base = `/2010-04-01/Accounts/${accountSid}`;
const server = useLoopbackServer();
const client = () => createTwilioClient({ auth: { username: accountSid, password: "token" }, baseUrl: server.url, retry: false });

describe("Twilio 2010 operations from the OpenAPI document", () => {
  it("messages.list follows next_page_uri until it is null, every item of every page in order", async () => {
    server.handle((request, response) => {
      const second = request.url.includes("PageToken=PA1");
      json(response, 200, {
        messages: second ? [{ sid: "SM3" }] : [{ sid: "SM1" }, { sid: "SM2" }],
        next_page_uri: second ? null : `${base}/Messages.json?PageSize=2&Page=1&PageToken=PA1`,
        page: second ? 1 : 0,
        page_size: 2,
      });
    });
    const sids: (string | null | undefined)[] = [];
    for await (const message of client().messages.list({ accountSid, pageSize: 2, dateSentAfter: "2026-01-01" })) sids.push(message.sid);
    expect(sids).toEqual(["SM1", "SM2", "SM3"]);
    expect(server.requests.map((r) => r.url)).toEqual([
      `${base}/Messages.json?DateSent%3E=2026-01-01&PageSize=2`,
      `${base}/Messages.json?PageSize=2&Page=1&PageToken=PA1`,
    ]);
  });

  it("calls.fetch and messages.fetch send the SID in the versioned path and answer the document's resource", async () => {
    server.handle((request, response) =>
      json(response, 200, { sid: request.url.includes("/Calls/") ? "CA1" : "SM1", status: "completed" }),
    );
    const call = await client().calls.fetch({ accountSid, sid: "CA1" });
    const message = await client().messages.fetch({ accountSid, sid: "SM1" });
    expect([call.sid, call.status, message.sid]).toEqual(["CA1", "completed", "SM1"]);
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([
      ["GET", `${base}/Calls/CA1.json`],
      ["GET", `${base}/Messages/SM1.json`],
    ]);
  });

  it("messages.create answered 429 (20429) is retried although it is a POST, the first wait at most 200 ms", async () => {
    let first = true;
    server.handle((_request, response) => {
      if (first)
        json(response, 429, {
          code: 20429,
          message: "Too Many Requests",
          more_info: "https://www.twilio.com/docs/errors/20429",
          status: 429,
        });
      else json(response, 201, { sid: "SM9", status: "queued" });
      first = false;
    });
    const events: ClientEvent[] = [];
    // The 429 names no wait (Twilio sends no Retry-After), so the pause is the first retry's cap; the fast
    // clock runs it a thousand times faster than real time.
    const ours = createTwilioClient({
      auth: { username: accountSid, password: "token" },
      baseUrl: server.url,
      clock: fastClock(1000),
      onEvent: (event) => events.push(event),
    });
    const message = await ours.messages.create({ accountSid, body: { To: "+15558675310", From: "+15017122661", Body: "hi" } });
    expect(message.sid).toBe("SM9");
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    const retries = events.filter((e) => e.type === "retry");
    expect(retries.map((e) => e.type === "retry" && [e.attempt, e.reason, e.delayMs])).toEqual([[1, "rate_limited", 200]]);
  });
});
