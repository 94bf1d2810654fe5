/**
 * A strict fixed-window server on its own phase: at most LIMIT requests per WINDOW_MS window (counted at
 * arrival), the windows starting at a random offset from the epoch (not aligned to seconds), 429 beyond.
 * Every answer carries x-ratelimit-limit, -remaining and -reset, the reset written in FORMAT
 * (epoch-seconds, epoch-ms, seconds, http-date) and rounded up, so it is never before the real reset.
 * A 429 carries no Retry-After: the client has only the headers. Prints its URL.
 *
 *   node bench/servers/window.js LIMIT WINDOW_MS FORMAT
 *
 * GET /__stats answers { accepted, limited, arrivals, phaseMs }: arrivals are the accepted arrival times.
 */
import http from "node:http";

const LIMIT = Number(process.argv[2] ?? 50);
const WINDOW_MS = Number(process.argv[3] ?? 1000);
const FORMAT = process.argv[4] ?? "epoch-ms";
const PHASE_MS = 137 + Math.floor(Math.random() * (WINDOW_MS - 274));
const accepted = [];
let limited = 0;
let window = -1;
let used = 0;

function reset(at, now) {
  switch (FORMAT) {
    case "epoch-seconds":
      return String(Math.ceil(at / 1000));
    case "epoch-ms":
      return String(at);
    case "seconds":
      return ((at - now) / 1000).toFixed(3);
    case "http-date":
      return new Date(Math.ceil(at / 1000) * 1000).toUTCString();
    default:
      throw new Error(`unknown reset format ${FORMAT}`);
  }
}

const body = JSON.stringify({ id: "cus_123", object: "customer" });
const server = http.createServer((request, response) => {
  const at = performance.timeOrigin + performance.now();
  request.resume();
  request.on("end", () => {
    if (request.url === "/__stats") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ accepted: accepted.length, limited, arrivals: accepted, phaseMs: PHASE_MS }));
      return;
    }
    const current = Math.floor((at - PHASE_MS) / WINDOW_MS);
    if (current !== window) {
      window = current;
      used = 0;
    }
    const resetAt = PHASE_MS + (current + 1) * WINDOW_MS;
    const ok = used < LIMIT;
    if (ok) {
      used += 1;
      accepted.push(at);
    } else {
      limited += 1;
    }
    response.writeHead(ok ? 200 : 429, {
      "content-type": "application/json",
      "x-ratelimit-limit": String(LIMIT),
      "x-ratelimit-remaining": String(LIMIT - used),
      "x-ratelimit-reset": reset(Math.ceil(resetAt), at),
    });
    response.end(ok ? body : JSON.stringify({ error: { type: "rate_limit_error", message: "Too many requests" } }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
