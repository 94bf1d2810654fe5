/**
 * The application's webhook endpoint, in a few lines of node:http: it keeps the raw body (signatures are
 * over the exact bytes), hands the delivery to the handler and answers 200 when the handler is done, 400
 * when it throws (a delivery that does not verify), so the provider retries only what failed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookDelivery } from "@switchboard/runtime";

export interface WebhookEndpoint {
  /** Where the provider posts: http://127.0.0.1:PORT/webhooks */
  readonly url: string;
  close(): Promise<void>;
}

export async function startWebhookEndpoint(handle: (delivery: WebhookDelivery) => Promise<void>): Promise<WebhookEndpoint> {
  let origin = "";
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const delivery: WebhookDelivery = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        url: `${origin}${request.url ?? "/"}`,
        method: request.method ?? "POST",
      };
      handle(delivery).then(
        () => response.writeHead(200).end(),
        () => response.writeHead(400).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/webhooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
