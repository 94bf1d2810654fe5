/** A keep-alive HTTP server that answers every request with the same small JSON customer. Prints its URL. */
import http from "node:http";

const body = JSON.stringify({
  id: "cus_123",
  object: "customer",
  email: "jenny@example.com",
  metadata: { order: "6735" },
  livemode: false,
});
const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "request-id": "req_1" });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
