// The relay's guarantees without sockets: bytes flow only after acceptance, in order, within the window and the offered
// size; the clipboard limit holds at offer time; a dropped receiver interrupts and a new acceptance resumes.
import { describe, expect, test } from "vitest";
import { defaultToolLimits, writeChunk } from "../../protocol/tools/index.ts";
import { TransferRelay } from "./transferRelay.ts";

function relay(limits = {}) {
  const delivered: Array<{ to: string; bytes: number }> = [];
  let receiverUp = true;
  const r = new TransferRelay(
    {
      sendBinary: (_s, to, bytes) => {
        if (to !== "host" && !receiverUp) return false;
        delivered.push({ to, bytes: bytes.length });
        return true;
      },
    },
    { ...defaultToolLimits, transferWindowBytes: 1000, chunkBytesMax: 600, ...limits },
  );
  return { r, delivered, setReceiver: (up: boolean) => (receiverUp = up) };
}

const data = (transferId: number, offset: number, n: number) =>
  writeChunk({ kind: "data", transferId, fileIndex: 0, offset }, new Uint8Array(n));
const ack = (transferId: number, offset: number) =>
  writeChunk({ kind: "ack", transferId, fileIndex: 0, offset });

function offer(r: TransferRelay, size = 5000) {
  const o = r.offer({
    sessionId: "s",
    sender: "host",
    audience: ["agent:a"],
    purpose: "files",
    files: [{ path: ["f"], size }],
  });
  if (!o.ok) throw new Error(o.message);
  return o.value.id;
}

describe("R-T1 transfer relay", () => {
  test("no byte flows before the receiver accepts; only the receiver may accept", () => {
    const { r } = relay();
    const id = offer(r);
    expect(r.onChunk("s", "host", data(id, 0, 10))).toMatchObject({ ok: false, reason: "Rejected" });
    expect(r.accept(id, "agent:b", [{ index: 0, offset: 0 }])).toMatchObject({
      ok: false,
      reason: "Unauthorised",
    });
    expect(r.accept(id, "agent:a", [{ index: 0, offset: 0 }]).ok).toBe(true);
    expect(r.onChunk("s", "agent:a", data(id, 0, 10))).toMatchObject({ ok: false, reason: "Unauthorised" });
    expect(r.onChunk("s", "host", data(id, 0, 10)).ok).toBe(true);
  });

  test("backpressure: more than the window unacknowledged is refused; acks open it again", () => {
    const { r, delivered } = relay();
    const id = offer(r);
    r.accept(id, "agent:a", [{ index: 0, offset: 0 }]);
    expect(r.onChunk("s", "host", data(id, 0, 600)).ok).toBe(true);
    expect(r.onChunk("s", "host", data(id, 600, 500))).toMatchObject({ ok: false, reason: "WindowExceeded" });
    expect(r.onChunk("s", "agent:a", ack(id, 600)).ok).toBe(true);
    expect(delivered.at(-1)).toEqual({ to: "host", bytes: 28 });
    expect(r.onChunk("s", "host", data(id, 600, 500)).ok).toBe(true);
    expect(r.inFlightBytes()).toBe(500);
  });

  test("chunks out of order, oversized or past the offered size are refused", () => {
    const { r } = relay();
    const id = offer(r, 700);
    r.accept(id, "agent:a", [{ index: 0, offset: 0 }]);
    expect(r.onChunk("s", "host", data(id, 10, 10))).toMatchObject({ reason: "BadChunk" });
    expect(r.onChunk("s", "host", data(id, 0, 601))).toMatchObject({ reason: "TooLarge" });
    expect(r.onChunk("s", "host", data(id, 0, 600)).ok).toBe(true);
    expect(r.onChunk("s", "host", data(id, 600, 101))).toMatchObject({ reason: "TooLarge" });
  });

  test("R-T2: a clipboard over clipboardMaxBytes is refused at the offer with a clear message", () => {
    const { r } = relay();
    const max = defaultToolLimits.clipboardMaxBytes;
    const at = (size: number) =>
      r.offer({
        sessionId: "s",
        sender: "agent:a",
        audience: ["host"],
        purpose: "clipboard",
        files: [{ path: ["c"], size }],
      });
    expect(at(max).ok).toBe(true);
    expect(at(max + 1)).toMatchObject({
      ok: false,
      reason: "TooLarge",
      message: "The clipboard holds 1,572,865 bytes; at most 1,572,864 bytes (1.5 MiB) can be sent.",
    });
  });

  test("a receiver that drops interrupts the transfer; accepting again resumes from its offset", () => {
    const { r, setReceiver } = relay();
    const id = offer(r);
    r.accept(id, "agent:a", [{ index: 0, offset: 0 }]);
    r.onChunk("s", "host", data(id, 0, 500));
    r.onChunk("s", "agent:a", ack(id, 300));
    setReceiver(false);
    expect(r.onChunk("s", "host", data(id, 500, 100))).toMatchObject({ reason: "PeerAbsent" });
    expect(r.get(id)?.state).toBe("interrupted");
    setReceiver(true);
    expect(r.accept(id, "agent:a", [{ index: 0, offset: 300 }]).ok).toBe(true);
    expect(r.onChunk("s", "host", data(id, 300, 10)).ok).toBe(true);
  });

  test("after a resume, chunks sent before the sender heard of it are dropped, not fatal; a later gap is", () => {
    const { r, delivered, setReceiver } = relay();
    const id = offer(r);
    r.accept(id, "agent:a", [{ index: 0, offset: 0 }]);
    r.onChunk("s", "host", data(id, 0, 500));
    setReceiver(false);
    r.onChunk("s", "host", data(id, 500, 100));
    setReceiver(true);
    r.accept(id, "agent:a", [{ index: 0, offset: 300 }]);
    const before = delivered.length;
    // Still in flight from before the resume: dropped quietly.
    expect(r.onChunk("s", "host", data(id, 600, 100))).toMatchObject({ ok: true, value: { stale: true } });
    expect(delivered.length).toBe(before);
    // The sender resumes from 300: relayed; a repeat of what was relayed is dropped; a gap now is an error.
    expect(r.onChunk("s", "host", data(id, 300, 100))).toMatchObject({
      ok: true,
      value: { header: { offset: 300 } },
    });
    expect(delivered.length).toBe(before + 1);
    expect(r.onChunk("s", "host", data(id, 300, 100))).toMatchObject({ ok: true, value: { stale: true } });
    expect(r.onChunk("s", "host", data(id, 900, 10))).toMatchObject({ reason: "BadChunk" });
    expect(r.stats.stale).toBe(2);
  });
});
