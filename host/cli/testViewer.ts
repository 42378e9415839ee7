// Test helper: an agent's viewer on the screen channel that decodes every frame into a Display and acknowledges it,
// as the console's screen view does, plus waiting on conditions instead of sleeping.
import * as Result from "effect/Result";
import WebSocket from "ws";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { screenProtocol } from "../../protocol/screen/index.ts";
import type { Msg, TestServer } from "../../server/testing.ts";
import { FrameDecoder } from "../../viewer/decoders/index.ts";
import { Display } from "../../viewer/display/index.ts";

export class TestViewer {
  readonly display = new Display();
  readonly decoder = new FrameDecoder(this.display);
  readonly messages: Msg[] = [];
  readonly applied: number[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  closeCode: number | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data, binary) => {
      if (!binary) {
        this.messages.push(JSON.parse(String(data)));
        return;
      }
      const bytes = new Uint8Array(data as Buffer);
      this.chain = this.chain.then(async () => {
        const r = await this.decoder.apply(bytes);
        if (Result.isFailure(r)) throw new Error(r.failure.message);
        this.applied.push(r.success.seq);
        ws.send(JSON.stringify({ type: "ack", seq: r.success.seq }));
      });
    });
    ws.on("close", (code) => {
      this.closeCode = code;
    });
  }

  /** `secret`: an agent's token, or the customer's host key to watch the agent's screen (`source` "agent"). */
  static open(
    t: TestServer,
    sessionId: string,
    secret: string,
    source: "customer" | "agent" = "customer",
  ): Promise<TestViewer> {
    const url = `${t.screenUrl}?session=${sessionId}&role=viewer&source=${source}`;
    const ws = new WebSocket(url, [screenProtocol, `auth.${secret}`]);
    const viewer = new TestViewer(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(viewer));
      ws.once("error", reject);
    });
  }

  send(m: object): void {
    this.ws.send(JSON.stringify(m));
  }
}

export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether the viewer's picture holds exactly the image's colours (alpha aside). */
export function samePixels(display: Display, image: RgbaImage): boolean {
  const a = display.pixels;
  if (a.length !== image.data.length) return false;
  for (let i = 0; i < image.data.length; i += 4) {
    if (a[i] !== image.data[i] || a[i + 1] !== image.data[i + 1] || a[i + 2] !== image.data[i + 2])
      return false;
  }
  return true;
}
