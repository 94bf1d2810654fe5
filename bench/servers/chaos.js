/**
 * A misbehaving provider: of the requests it gets, 5% have their connection reset before the write is
 * applied, 5% after it (the answer is lost but the write is done), 15% get a 500 (half of them after
 * applying the write), 3% are applied and answered after SLOW_MS (longer than the client's attempt
 * timeout), and the rest are applied and answered 200. Writes are idempotent by the Idempotency-Key
 * header, as Stripe's: a key seen before is replayed, never applied again. Seeded, so every run sees the
 * same sequence. Prints its URL. GET /__stats answers the counts and the applications per key.
 */
import http from "node:http";

const SEED = Number(process.argv[2] ?? 42);
const SLOW_MS = Number(process.argv[3] ?? 1500);
let state = SEED >>> 0;
/** mulberry32 */
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const applications = new Map();
const counts = { requests: 0, resetsBeforeApply: 0, resetsAfterApply: 0, failed: 0, slow: 0, applied: 0, replayed: 0, withoutKey: 0 };

function apply(key) {
  if (applications.has(key)) {
    counts.replayed++;
    return;
  }
  applications.set(key, 1);
  counts.applied++;
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    if (request.url === "/__stats") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ...counts, applications: Object.fromEntries(applications) }));
      return;
    }
    counts.requests++;
    const key = request.headers["idempotency-key"];
    if (typeof key !== "string") counts.withoutKey++;
    const roll = random();
    if (roll < 0.05) {
      counts.resetsBeforeApply++;
      request.socket.destroy();
      return;
    }
    if (roll < 0.1) {
      if (typeof key === "string") apply(key);
      counts.resetsAfterApply++;
      request.socket.destroy();
      return;
    }
    if (roll < 0.25) {
      // Half of the 500s come after the write was applied: the client cannot tell which.
      if (roll < 0.175 && typeof key === "string") apply(key);
      counts.failed++;
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { type: "api_error", message: "Internal error" } }));
      return;
    }
    if (roll < 0.28) {
      if (typeof key === "string") apply(key);
      counts.slow++;
      const timer = setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ id: "cus_x", object: "customer", key }));
      }, SLOW_MS);
      response.on("close", () => clearTimeout(timer));
      return;
    }
    if (typeof key === "string") apply(key);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ id: "cus_x", object: "customer", key }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
