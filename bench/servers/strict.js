/**
 * A strict rate-limited server: it accepts at most LIMIT requests in any rolling WINDOW_MS (counted at
 * arrival) and answers 429 beyond, with no rate-limit headers (like Stripe). Prints its URL.
 * GET /__stats answers { accepted, limited, arrivals } where arrivals are the accepted arrival times.
 */
import http from "node:http";

const LIMIT = Number(process.argv[2] ?? 100);
const WINDOW_MS = Number(process.argv[3] ?? 1000);
const accepted = [];
let limited = 0;

const body = JSON.stringify({ id: "cus_123", object: "customer" });
const server = http.createServer((request, response) => {
  const at = performance.timeOrigin + performance.now();
  request.resume();
  request.on("end", () => {
    if (request.url === "/__stats") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ accepted: accepted.length, limited, arrivals: accepted }));
      return;
    }
    // Requests accepted in (at - WINDOW_MS, at]: the arrivals are in order, so count from the end.
    let inWindow = 0;
    for (let i = accepted.length - 1; i >= 0 && accepted[i] > at - WINDOW_MS; i--) inWindow++;
    if (inWindow >= LIMIT) {
      limited++;
      response.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      response.end(JSON.stringify({ error: { type: "rate_limit_error", message: "Too many requests" } }));
      return;
    }
    accepted.push(at);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
