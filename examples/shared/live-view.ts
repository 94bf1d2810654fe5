/**
 * A live view of what the examples do: each request, answer, retry, wait, token request, webhook event and
 * recovery as one line, as it happens. Colours only on a terminal (and not with NO_COLOR); plain lines on a
 * pipe. It prints what the client's events hook reports, which the runtime has already redacted, and never
 * headers or bodies, so no credential reaches the screen.
 */
import type { ClientEvent, RecoveryEvent } from "@switchboard/runtime";

export interface LiveView {
  /** Give to a client as `onEvent`. */
  readonly client: (event: ClientEvent) => void;
  /** Give to recover<Provider>Error as `onRecovery`. */
  readonly recovery: (event: RecoveryEvent) => void;
  /** A step of the example's own story. */
  step(text: string): void;
  /** A verified webhook event the application handled. */
  event(provider: string, type: string, detail?: string): void;
}

export interface TerminalViewOptions {
  /** @default process.stdout */
  readonly stream?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** @default on a TTY, unless NO_COLOR is set */
  readonly color?: boolean;
  /** Printed before every line (the example's name in `npm run demo`). */
  readonly prefix?: string;
}

const CODES = { dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Colour = keyof typeof CODES;

/** Lines on a terminal or a pipe. */
export function terminalView(options: TerminalViewOptions = {}): LiveView {
  const stream = options.stream ?? process.stdout;
  const color = options.color ?? (stream.isTTY === true && process.env["NO_COLOR"] === undefined);
  const paint = (colour: Colour, text: string) => (color ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text);
  const prefix = options.prefix === undefined ? "" : paint("dim", `${options.prefix} `);
  const line = (mark: string, colour: Colour, text: string) => stream.write(`${prefix}${paint(colour, mark)} ${text}\n`);
  return {
    client: (event) => {
      const described = describeClientEvent(event);
      if (described !== undefined) line(described.mark, described.colour, described.text);
    },
    recovery: (event) =>
      line(
        "⚕",
        "magenta",
        `recovery ${event.provider} ${event.code}: ${event.by}${event.afterMs === undefined ? "" : ` after ${ms(event.afterMs)}`}`,
      ),
    step: (text) => line("•", "blue", text),
    event: (provider, type, detail) =>
      line("⚡", "cyan", `${provider} webhook ${type} verified${detail === undefined ? "" : `: ${detail}`}`),
  };
}

/** Records the lines instead of printing them (tests). */
export function recordingView(): LiveView & { readonly lines: string[] } {
  const lines: string[] = [];
  const stream = { write: (chunk: string) => lines.push(chunk.replace(/\n$/, "")) > 0 } as unknown as NodeJS.WritableStream;
  return { ...terminalView({ stream, color: false }), lines };
}

function describeClientEvent(event: ClientEvent): { mark: string; colour: Colour; text: string } | undefined {
  switch (event.type) {
    case "request":
      return {
        mark: "→",
        colour: "dim",
        text:
          `${event.method} ${pathOf(event.url)} ${event.operation}` +
          (event.attempt > 1 ? ` (attempt ${event.attempt})` : "") +
          // Idempotency keys are not secrets; the last characters show a retry reuses the key.
          (event.idempotencyKey === undefined ? "" : ` key …${event.idempotencyKey.slice(-6)}`),
      };
    case "response":
      return {
        mark: "←",
        colour: event.status < 400 ? "green" : "red",
        text: `${event.status} ${event.operation} in ${ms(event.durationMs)}`,
      };
    case "attemptFailed":
      return { mark: "✗", colour: "red", text: `${event.operation} attempt ${event.attempt} got no answer (${event.errorCode})` };
    case "retry":
      return { mark: "↻", colour: "yellow", text: `retry ${event.operation} in ${ms(event.delayMs)} (${event.reason})` };
    case "rateLimitWait":
      return {
        mark: "⏳",
        colour: "yellow",
        text: `${event.operation} waited ${ms(event.waitedMs)} for rate-limit bucket ${event.bucket}`,
      };
    case "rateLimited":
      return { mark: "⏳", colour: "yellow", text: `${event.operation} rate limited (${event.status}); bucket paused` };
    case "breakerStateChange":
      return { mark: "⚠", colour: "red", text: `circuit ${event.key}: ${event.from} → ${event.to}` };
    case "tokenRequest":
      return {
        mark: "🔑",
        colour: event.phase === "failure" ? "red" : "magenta",
        text: `token ${event.grant} ${event.phase} ${event.endpoint}${event.status === undefined ? "" : ` ${event.status}`}`,
      };
    default:
      return undefined;
  }
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
