// R-D3 relay: per-viewer budgets, key frames for joining and lagging viewers, host acknowledged by viewers in step.
import { describe, expect, test } from "vitest";
import { writeFrameHeader } from "../../protocol/frame/index.ts";
import { FrameRelay, type ViewerLink } from "./frameRelay.ts";

function frame(seq: number, key = false): Uint8Array {
  const bytes = new Uint8Array(24);
  writeFrameHeader(bytes, { key, tileSize: 64, seq, width: 64, height: 64, tileCount: 0, bodyLength: 0 });
  return bytes;
}

function viewer(id: string) {
  const got: number[] = [];
  let buffered = 0;
  const link: ViewerLink = {
    id,
    send: (f) => got.push(new DataView(f.buffer, f.byteOffset).getUint32(8, true)),
    bufferedBytes: () => buffered,
  };
  return { link, got, setBuffered: (n: number) => (buffered = n) };
}

function relay(options = { viewerBufferedBytesMax: 1000, viewerFramesInFlightMax: 3 }) {
  const acks: number[] = [];
  let keyRequests = 0;
  const r = new FrameRelay({ ack: (s) => acks.push(s), requestKeyFrame: () => keyRequests++ }, options);
  return { r, acks, keyRequests: () => keyRequests };
}

describe("R-D3 frame relay", () => {
  test("a joining viewer asks for one key frame and receives nothing before it", () => {
    const { r, keyRequests } = relay();
    const a = viewer("a");
    r.addViewer(a.link);
    r.addViewer(viewer("b").link);
    expect(keyRequests()).toBe(1);
    r.onHostFrame(frame(1));
    r.onHostFrame(frame(2, true));
    r.onHostFrame(frame(3));
    expect(a.got).toEqual([2, 3]);
  });

  test("the host is acknowledged once every viewer in step has acknowledged the frame", () => {
    const { r, acks } = relay();
    const a = viewer("a");
    const b = viewer("b");
    r.addViewer(a.link);
    r.addViewer(b.link);
    r.onHostFrame(frame(1, true));
    r.onHostFrame(frame(2));
    r.onViewerAck("a", 2);
    expect(acks).toEqual([]);
    r.onViewerAck("b", 1);
    expect(acks).toEqual([1]);
    r.onViewerAck("b", 2);
    expect(acks).toEqual([1, 2]);
  });

  test("a slow viewer is skipped and resynchronised with a key frame; the fast one never waits for it", () => {
    const { r, acks, keyRequests } = relay();
    const fast = viewer("fast");
    const slow = viewer("slow");
    r.addViewer(fast.link);
    r.addViewer(slow.link);
    r.onHostFrame(frame(1, true));
    r.onViewerAck("fast", 1);
    slow.setBuffered(5000);
    for (let seq = 2; seq <= 10; seq++) {
      r.onHostFrame(frame(seq));
      r.onViewerAck("fast", seq);
    }
    expect(fast.got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(slow.got).toEqual([1]);
    expect(acks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(keyRequests()).toBe(2);
    slow.setBuffered(0);
    r.onHostFrame(frame(11));
    r.onHostFrame(frame(12, true));
    expect(slow.got).toEqual([1, 12]);
  });

  test("a viewer that stops acknowledging holds at most its in-flight budget, then falls back to key frames", () => {
    const { r, acks } = relay();
    const mute = viewer("mute");
    r.addViewer(mute.link);
    for (let seq = 1; seq <= 6; seq++) r.onHostFrame(frame(seq, seq === 1));
    expect(mute.got).toEqual([1, 2, 3]);
    // Frame 4 finds it over budget: frames 1–3 are forgiven, and frames with no viewer in step are acknowledged at once.
    expect(acks).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("a viewer that leaves releases the frames it owed", () => {
    const { r, acks } = relay();
    r.addViewer(viewer("a").link);
    r.onHostFrame(frame(1, true));
    r.removeViewer("a");
    expect(acks).toEqual([1]);
  });

  test("bytes that are not a frame are refused with a typed reason", () => {
    const { r } = relay();
    expect(r.onHostFrame(new Uint8Array([1, 2, 3, 4, 5]))).toMatchObject({ reason: "BadFrame" });
  });
});
