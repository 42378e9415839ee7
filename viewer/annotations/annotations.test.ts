// R-V4 annotation tools and R-V5 hotkeys: scene diffs, geometry, the pointer state chart and the renderer.
import { describe, expect, test } from "vitest";
import { createActor } from "xstate";
import type { Annotation } from "../../protocol/annotations/index.ts";
import { hitsStroke, snapStraight, thin } from "./geometry.ts";
import { hotkeyAction, screenKeyAction } from "./hotkeys.ts";
import { type PointerEmitted, pointerMachine } from "./pointerMachine.ts";
import { type Pen, renderScene } from "./render.ts";
import { AnnotationScene } from "./scene.ts";

const stroke = (id: string, version: number, points = [0, 0, 10, 10]): Annotation => ({
  id,
  version,
  kind: "pen",
  points,
  colour: "#1e5bff",
  author: "ann",
});

describe("R-V4 annotation scene", () => {
  test("R-V4: diffs add, update and remove records; stale versions are ignored whatever the arrival order", () => {
    const scene = new AnnotationScene();
    scene.apply({ added: [stroke("a", 1)], updated: [], removed: [] });
    scene.apply({ added: [], updated: [stroke("a", 3, [1, 1, 2, 2])], removed: [] });
    expect(scene.apply({ added: [], updated: [stroke("a", 2)], removed: [] })).toBe(false);
    expect(scene.get("a")!.points).toEqual([1, 1, 2, 2]);
    scene.apply({ added: [], updated: [], removed: ["a"] });
    expect(scene.apply({ added: [], updated: [stroke("a", 3)], removed: [] })).toBe(false);
    expect(scene.size()).toBe(0);
  });

  test("R-V4: clear all removes every record (F12)", () => {
    const scene = new AnnotationScene();
    scene.apply({ added: [stroke("a", 1), stroke("b", 1)], updated: [], removed: [] });
    scene.apply({ added: [], updated: [], removed: [], clear: true });
    expect(scene.all()).toEqual([]);
  });

  test("R-V4: a scene kept for others stays within its limits, forgetting what changed longest ago first", () => {
    const scene = new AnnotationScene({ recordsMax: 3, pointsMax: 16, tombstonesMax: 2 });
    scene.apply({ added: [stroke("a", 1), stroke("b", 1), stroke("c", 1)], updated: [], removed: [] });
    // "d" comes and "a" changes: "b" is now the one changed longest ago, and goes.
    scene.apply({ added: [stroke("d", 1)], updated: [stroke("a", 2)], removed: [] });
    expect(scene.all().map((r) => r.id)).toEqual(["c", "d", "a"]);
    // Points count too: a long stroke pushes out older ones (4 + 4 + 4 + 12 = 24 > 16).
    scene.apply({ added: [stroke("e", 1, Array(12).fill(5))], updated: [], removed: [] });
    expect(scene.all().map((r) => r.id)).toEqual(["a", "e"]);
    // Forgotten ones leave tombstones (b, c, d), the oldest of which go too: a late copy of "c" (still buried) is
    // not taken back, one of "b" (its tombstone gone) is.
    expect(scene.apply({ added: [stroke("c", 1)], updated: [], removed: [] })).toBe(false);
    expect(scene.apply({ added: [stroke("b", 1)], updated: [], removed: [] })).toBe(true);
  });
});

describe("R-V4 geometry", () => {
  test("R-V4: Shift draws straight: first to last point", () => {
    expect(snapStraight([0, 0, 5, 9, 7, 2, 20, 20])).toEqual([0, 0, 20, 20]);
  });

  test("thinning keeps the ends and drops points closer than the spacing", () => {
    expect(thin([0, 0, 1, 0, 2, 0, 5, 0, 6, 0], 3)).toEqual([0, 0, 5, 0, 6, 0]);
  });

  test("hit test finds points near a stroke only", () => {
    expect(hitsStroke([0, 0, 100, 0], [50, 2], 3)).toBe(true);
    expect(hitsStroke([0, 0, 100, 0], [50, 9], 3)).toBe(false);
  });
});

function pointer(tool: "pen" | "highlighter" | "arrow" | "laser" | "mouse") {
  const actor = createActor(pointerMachine, { input: { author: "ann", tool } }).start();
  const out: PointerEmitted[] = [];
  actor.on("*", (e) => out.push(e as PointerEmitted));
  return { actor, out };
}

describe("R-V4 pointer state chart", () => {
  test("R-V4: a pen stroke previews while drawing and commits a blue record on release", () => {
    const { actor, out } = pointer("pen");
    actor.send({ type: "pointer.down", x: 10, y: 10, shift: false });
    for (let x = 12; x <= 40; x += 4) actor.send({ type: "pointer.move", x, y: 10 + x / 4, shift: false });
    actor.send({ type: "pointer.up", x: 44, y: 21, shift: false });
    const commits = out.filter((e) => e.type === "annotation.commit");
    expect(commits).toHaveLength(1);
    const a = (commits[0] as { annotation: Annotation }).annotation;
    expect(a).toMatchObject({ id: "ann-1", kind: "pen", colour: "#1e5bff", version: 1 });
    expect(a.points.slice(0, 2)).toEqual([10, 10]);
    expect(a.points.slice(-2)).toEqual([44, 21]);
    expect(out.some((e) => e.type === "annotation.preview")).toBe(true);
  });

  test("R-V4: with Shift the highlighter draws a straight yellow line", () => {
    const { actor, out } = pointer("highlighter");
    actor.send({ type: "pointer.down", x: 0, y: 0, shift: true });
    actor.send({ type: "pointer.move", x: 30, y: 7, shift: true });
    actor.send({ type: "pointer.up", x: 60, y: 0, shift: true });
    const a = (out.find((e) => e.type === "annotation.commit") as { annotation: Annotation }).annotation;
    expect(a).toMatchObject({ kind: "highlighter", colour: "#ffd400", points: [0, 0, 60, 0] });
  });

  test("R-V4: the arrow is a stamp where the pointer went down; the laser is never stored", () => {
    const arrow = pointer("arrow");
    arrow.actor.send({ type: "pointer.down", x: 5, y: 6, shift: false });
    arrow.actor.send({ type: "pointer.up", x: 5, y: 6, shift: false });
    expect(arrow.out).toMatchObject([
      { type: "annotation.commit", annotation: { kind: "arrow", points: [5, 6] } },
    ]);
    const laser = pointer("laser");
    laser.actor.send({ type: "pointer.move", x: 1, y: 2, shift: false });
    laser.actor.send({ type: "pointer.down", x: 1, y: 2, shift: false });
    laser.actor.send({ type: "pointer.move", x: 9, y: 9, shift: false });
    laser.actor.send({ type: "pointer.up", x: 9, y: 9, shift: false });
    expect(laser.out.every((e) => e.type === "laser.at")).toBe(true);
    expect(laser.out).toHaveLength(2);
  });

  test("R-V4: Esc returns to shared mouse and keyboard: pointer events become remote input", () => {
    const { actor, out } = pointer("pen");
    actor.send({ type: "key.escape" });
    actor.send({ type: "pointer.down", x: 3, y: 4, shift: false });
    actor.send({ type: "pointer.up", x: 3, y: 4, shift: false });
    expect(out).toEqual([
      { type: "input.pointer", x: 3, y: 4, buttons: 1 },
      { type: "input.pointer", x: 3, y: 4, buttons: 0 },
    ]);
  });
});

describe("R-V5 hotkeys", () => {
  test("R-V5: F6 clipboard, F8 highlighter, F9 arrow, F10 chat, F11 pen, F12 clear, Esc mouse — only when enabled", () => {
    expect(["F6", "F8", "F9", "F10", "F11", "F12", "Escape"].map((k) => hotkeyAction(k, true))).toEqual([
      { type: "clipboard.send" },
      { type: "tool.select", tool: "highlighter" },
      { type: "tool.select", tool: "arrow" },
      { type: "focus.toggleChat" },
      { type: "tool.select", tool: "pen" },
      { type: "annotations.clear" },
      { type: "tool.select", tool: "mouse" },
    ]);
    expect(hotkeyAction("F8", false)).toBeNull();
    expect(hotkeyAction("F7", true)).toBeNull();
  });

  test("R-V5: with hotkeys off no key is the viewer's; Esc leaves a drawing tool only when on, or as the tools' way out", () => {
    const off = { hotkeys: false, tool: "pen" };
    expect(["F6", "F8", "F9", "F10", "F11", "F12", "Escape"].map((k) => screenKeyAction(k, off))).toEqual(
      Array(7).fill(null),
    );
    expect(screenKeyAction("F11", { hotkeys: true, tool: "mouse" })).toEqual({
      type: "tool.select",
      tool: "pen",
    });
    expect(screenKeyAction("Escape", { hotkeys: true, tool: "highlighter" })).toEqual({ type: "key.escape" });
    // R-V4 on the customer's page: no hotkeys, but Esc still puts the pen down.
    expect(screenKeyAction("Escape", { ...off, escapeToMouse: true })).toEqual({ type: "key.escape" });
    expect(screenKeyAction("F11", { ...off, escapeToMouse: true })).toBeNull();
    // With the mouse already in hand Esc changes nothing here: under control it is the customer's key.
    expect(screenKeyAction("Escape", { hotkeys: true, escapeToMouse: true, tool: "mouse" })).toBeNull();
  });
});

test("R-V4: the renderer draws highlighter strokes translucent and follows the view's scale and scroll", () => {
  const calls: string[] = [];
  const pen = new Proxy({} as Record<string, unknown>, {
    get: (target, key: string) =>
      key in target ? target[key] : (...args: unknown[]) => calls.push(`${key}(${args.join(",")})`),
    set: (target, key: string, value) => {
      target[key] = value;
      calls.push(`${key}=${value}`);
      return true;
    },
  }) as unknown as Pen;
  renderScene(pen, [{ ...stroke("h", 1), kind: "highlighter", colour: "#ffd400" }], {
    scale: 0.5,
    scrollX: 10,
    scrollY: 20,
    width: 800,
    height: 600,
  });
  expect(calls).toContain("setTransform(0.5,0,0,0.5,-10,-20)");
  expect(calls).toContain("globalAlpha=0.4");
  expect(calls).toContain("strokeStyle=#ffd400");
});
