// R-T1: a transfer's sender keeps at most a window of unacknowledged bytes in flight, in the host and the console alike.
import { describe, expect, test } from "vitest";
import { SendWindow } from "./sendWindow.ts";

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

describe("R-T1: the sender's window", () => {
  test("a send waits while the window is full and goes on once enough is acknowledged", async () => {
    const w = new SendWindow();
    const live = w.restart();
    w.startFile(0, 0);
    w.sentUpTo(0, 600);
    expect(w.inFlight).toBe(600);
    const waiting = w.room(500, 1_000, live);
    expect(await settled(waiting)).toBe(false);
    w.ack(0, 50); // not enough room yet
    expect(await settled(waiting)).toBe(false);
    w.ack(0, 100);
    expect(await settled(waiting)).toBe(true);
    expect(w.inFlight).toBe(500);
  });

  test("late, repeated or out-of-order acknowledgements never move the window back", () => {
    const w = new SendWindow();
    w.startFile(0, 0);
    w.startFile(1, 200); // resumed: the receiver has its first 200 bytes
    w.sentUpTo(0, 300);
    w.sentUpTo(1, 500);
    w.ack(0, 300);
    w.ack(0, 100);
    w.ack(1, 200);
    expect(w.inFlight).toBe(300);
  });

  test("a resume or a stop ends the old pump's wait, and its test turns false", async () => {
    const w = new SendWindow();
    const first = w.restart();
    w.startFile(0, 0);
    w.sentUpTo(0, 1_000);
    const waiting = w.room(1, 1_000, first);
    const second = w.restart();
    expect(await settled(waiting)).toBe(true);
    expect(first()).toBe(false);
    expect(second()).toBe(true);
    w.stop();
    expect(second()).toBe(false);
  });
});
