/**
 * A provider that takes its time, by path: /v1/customers/headers answers after 30 s, /v1/customers/trickle
 * sends its headers at once and then one byte every 20 ms for ever, /token answers a token after 6 s,
 * anything else answers at once. Stops writing when the client goes away. Prints its URL.
 */
import http from "node:http";

const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const timers = [];
    response.on("close", () => timers.forEach(clearTimeout));
    if (request.url.startsWith("/v1/customers/headers")) {
      timers.push(setTimeout(() => response.end("{}"), 30_000));
    } else if (request.url.startsWith("/v1/customers/trickle")) {
      response.writeHead(200, { "content-type": "application/json" });
      const tick = () => {
        response.write(" ");
        timers.push(setTimeout(tick, 20));
      };
      tick();
    } else if (request.url.startsWith("/token")) {
      timers.push(setTimeout(() => response.end(JSON.stringify({ access_token: "at_slow" })), 6000));
    } else {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: "cus_1", object: "customer" }));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
