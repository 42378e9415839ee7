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

const testOptions = {
  viewerBufferedBytesMax: 1000,
  viewerFramesInFlightMax: 3,
  viewerResyncBackoffMs: 100,
  viewerResyncBackoffMaxMs: 400,
  viewerAckTimeoutMs: 1000,
};

function relay(options = testOptions) {
  const acks: number[] = [];
  let keyRequests = 0;
  let now = 0;
  const r = new FrameRelay(
    {
      ack: (s) => acks.push(s),
      requestKeyFrame: () => {
        keyRequests++;
      },
    },
    options,
    () => now,
  );
  return { r, acks, keyRequests: () => keyRequests, advance: (ms: number) => (now += ms) };
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

  test("the host is acknowledged by the first viewer that takes a frame: it paces itself to the fastest", () => {
    const { r, acks } = relay();
    const a = viewer("a");
    const b = viewer("b");
    r.addViewer(a.link);
    r.addViewer(b.link);
    r.onHostFrame(frame(1, true));
    r.onHostFrame(frame(2));
    r.onViewerAck("b", 1);
    expect(acks).toEqual([1]);
    r.onViewerAck("a", 2);
    expect(acks).toEqual([1, 2]);
    r.onViewerAck("b", 2);
    expect(acks).toEqual([1, 2]);
  });

  test("a viewer that never reads cannot stall the host: the others keep acknowledging every frame", () => {
    const { r, acks } = relay();
    const fast = viewer("fast");
    r.addViewer(fast.link);
    r.addViewer(viewer("stuck").link);
    for (let seq = 1; seq <= 20; seq++) {
      r.onHostFrame(frame(seq, seq === 1));
      r.onViewerAck("fast", seq);
    }
    expect(acks).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(fast.got).toHaveLength(20);
  });

  test("a viewer that keeps falling out of step asks for key frames no more often than its back-off", () => {
    const { r, keyRequests, advance } = relay();
    const fast = viewer("fast");
    r.addViewer(fast.link);
    r.addViewer(viewer("stuck").link);
    const requestsAt: number[] = [];
    let seq = 0;
    let key = true;
    for (let t = 0; t < 1000; t += 10) {
      const before = keyRequests();
      r.onHostFrame(frame(++seq, key));
      r.onViewerAck("fast", seq);
      key = keyRequests() > before; // the host answers a request with a key frame next
      if (key) requestsAt.push(t);
      advance(10);
    }
    // out of step at once (in flight 3), then waits of 100, 200, 400, 400 ms, each counted from the last request
    const gaps = requestsAt.slice(1).map((t, i) => t - requestsAt[i]!);
    expect(gaps.slice(0, 2)).toEqual([100, 200]);
    expect(gaps.slice(2).every((g) => g >= 400 && g <= 450)).toBe(true);
    expect(r.stats.viewerResyncs).toBeGreaterThanOrEqual(requestsAt.length);
  });

  test("a slow viewer is skipped and resynchronised with a key frame once its socket drains; the fast one never waits for it", () => {
    const { r, acks, keyRequests, advance } = relay();
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
    expect(keyRequests()).toBe(1); // a key frame now would be skipped for it too
    slow.setBuffered(0);
    r.onHostFrame(frame(11));
    expect(keyRequests()).toBe(2);
    r.onHostFrame(frame(12, true));
    expect(slow.got).toEqual([1, 12]);
    // while its socket stays full, it never asks for another key frame, whatever its back-off says
    slow.setBuffered(5000);
    advance(10_000);
    for (let seq = 13; seq <= 30; seq++) {
      r.onHostFrame(frame(seq));
      r.onViewerAck("fast", seq);
    }
    expect(keyRequests()).toBe(2);
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

  test("a viewer silent past its ack timeout no longer holds the host: a reconnected viewer gets its key frame", () => {
    const { r, acks, keyRequests, advance } = relay();
    const dead = viewer("dead");
    r.addViewer(dead.link);
    r.onHostFrame(frame(1, true));
    r.onHostFrame(frame(2));
    // Its network dropped: no acknowledgement, and the host waits for frames 1 and 2.
    expect(acks).toEqual([]);
    advance(500);
    r.expireSilentViewers();
    expect(acks).toEqual([]);
    advance(600);
    const back = viewer("back");
    r.addViewer(back.link);
    // The silent one is forgiven (the host hears of 1 and 2) and a key frame is asked for the newcomer.
    expect(acks).toEqual([1, 2]);
    expect(keyRequests()).toBe(2);
    r.onHostFrame(frame(3, true));
    expect(back.got).toEqual([3]);
    r.onViewerAck("back", 3);
    expect(acks).toEqual([1, 2, 3]);
  });

  test("the timer alone expires a silent viewer", () => {
    const { r, acks, advance } = relay();
    const a = viewer("a");
    r.addViewer(a.link);
    r.onHostFrame(frame(1, true));
    advance(1001);
    r.expireSilentViewers();
    expect(acks).toEqual([1]);
  });
});
