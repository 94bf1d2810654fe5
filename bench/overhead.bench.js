/**
 * overhead: what the generated client's pipeline costs per call, with every policy on (rate limiter
 * with non-binding limits, retries with idempotency, circuit breaker, timeouts, an event listener),
 * against a raw undici.request and a bare fetch of the same URL, in the same run. The server is a
 * separate process on loopback that answers a small JSON body.
 *
 * Metrics:
 *   latency_c1_{undici,fetch,client}       median ms per call, one call at a time
 *   throughput_c32_{undici,fetch,client}   calls per second with 32 callers
 * Client and fetch figures carry ratio = value / undici's. Targets: latency <= 1.15x, throughput >= 0.8x.
 * The three contenders run in interleaved rounds, and each figure is the median of its rounds, so a
 * slow moment of the machine hits all of them alike.
 */
import { Agent, request } from "undici";
import { importGeneratedClient, startServer } from "./lib/build-client.js";

export const name = "overhead";

const ROUNDS = 5;
const LATENCY_CALLS = 2000;
const THROUGHPUT_CALLS = 10_000;
const CONCURRENCY = 32;

export async function run(emit) {
  const server = await startServer("fixed");
  try {
    const { createStripeClient } = await importGeneratedClient("stripe");
    const url = `${server.url}/v1/customers/cus_123`;
    const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
    const client = createStripeClient({
      auth: { token: "sk_test_bench" },
      baseUrl: server.url,
      // Every policy on; the limits high enough not to bind, so the figure is the pipeline's own cost.
      rateLimits: { buckets: { global: { rate: 1_000_000 }, files: { rate: 1_000_000 }, search: { rate: 1_000_000 } } },
      onEvent: () => {},
    });
    // The baselines send the very headers the client sends, so all three put the same bytes on the wire.
    const headers = await headersOnTheWire(createStripeClient);
    const contenders = {
      undici: async () => {
        const response = await request(url, { dispatcher: agent, headers });
        return JSON.parse(await response.body.text());
      },
      fetch: async () => {
        const response = await fetch(url, { headers });
        return response.json();
      },
      client: () => client.customers.retrieve({ customer: "cus_123" }),
    };
    for (const call of Object.values(contenders)) await throughput(call, CONCURRENCY, 2000); // warm-up

    const latency = { undici: [], fetch: [], client: [] };
    const rps = { undici: [], fetch: [], client: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [key, call] of Object.entries(contenders)) latency[key].push(await medianLatency(call, LATENCY_CALLS));
      for (const [key, call] of Object.entries(contenders)) rps[key].push(await throughput(call, CONCURRENCY, THROUGHPUT_CALLS));
    }
    const lat = Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, median(v)]));
    const thr = Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, median(v)]));
    emit({ metric: "latency_c1_undici", value: round3(lat.undici), unit: "ms" });
    emit({
      metric: "latency_c1_fetch",
      value: round3(lat.fetch),
      unit: "ms",
      baseline: round3(lat.undici),
      ratio: round3(lat.fetch / lat.undici),
    });
    emit({
      metric: "latency_c1_client",
      value: round3(lat.client),
      unit: "ms",
      baseline: round3(lat.undici),
      ratio: round3(lat.client / lat.undici),
      target: "<= 1.15",
    });
    emit({ metric: "throughput_c32_undici", value: Math.round(thr.undici), unit: "req/s" });
    emit({
      metric: "throughput_c32_fetch",
      value: Math.round(thr.fetch),
      unit: "req/s",
      baseline: Math.round(thr.undici),
      ratio: round3(thr.fetch / thr.undici),
    });
    emit({
      metric: "throughput_c32_client",
      value: Math.round(thr.client),
      unit: "req/s",
      baseline: Math.round(thr.undici),
      ratio: round3(thr.client / thr.undici),
      target: ">= 0.8",
    });
    await agent.close();
  } finally {
    await server.stop();
  }
}

/** The headers the client puts on the wire for the call, read by a one-off server. */
async function headersOnTheWire(createStripeClient) {
  const http = await import("node:http");
  let seen;
  const probe = http.createServer((request, response) => {
    seen = { ...request.headers };
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
  });
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const client = createStripeClient({ auth: { token: "sk_test_bench" }, baseUrl: `http://127.0.0.1:${probe.address().port}` });
  await client.customers.retrieve({ customer: "cus_123" });
  await new Promise((resolve) => probe.close(resolve));
  for (const name of ["host", "connection", "content-length"]) delete seen[name];
  return seen;
}

async function medianLatency(call, n) {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    samples[i] = performance.now() - start;
  }
  return median([...samples]);
}

async function throughput(call, concurrency, total) {
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started++ < total) await call();
    }),
  );
  return total / ((performance.now() - begin) / 1000);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round3 = (n) => Math.round(n * 1000) / 1000;
