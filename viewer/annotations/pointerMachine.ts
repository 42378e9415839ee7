// Pointer input on the shared screen as a small state chart (idle → pointing → drawing): strokes, arrow stamps,
// the laser pointer, or — in mouse mode — remote input (R-V4). Emits what to draw or send; draws nothing itself.
import { assign, emit, setup } from "xstate";
import type { Annotation, AnnotationKind } from "../../protocol/annotations/index.ts";
import { defaultColours } from "../../protocol/annotations/index.ts";
import { snapStraight, thin } from "./geometry.ts";

export type Tool = AnnotationKind | "mouse";

export interface PointerContext {
  tool: Tool;
  author: string;
  next: number;
  points: number[];
  straight: boolean;
}

export type PointerEvent =
  | { type: "tool.select"; tool: Tool }
  | { type: "pointer.down"; x: number; y: number; shift: boolean }
  | { type: "pointer.move"; x: number; y: number; shift: boolean }
  | { type: "pointer.up"; x: number; y: number; shift: boolean }
  | { type: "key.escape" };

export type PointerEmitted =
  | { type: "annotation.preview"; annotation: Annotation }
  | { type: "annotation.commit"; annotation: Annotation }
  | { type: "laser.at"; x: number; y: number }
  | { type: "input.pointer"; x: number; y: number; buttons: number };

/** Movement below this (screen pixels) is a click, not a stroke. */
export const dragThresholdPx = 3;
/** Points closer than this are dropped from a committed stroke. */
export const strokeSpacingPx = 2;

function record(ctx: PointerContext, points: number[], version: number): Annotation {
  const kind = ctx.tool === "mouse" ? "pen" : ctx.tool;
  return {
    id: `${ctx.author}-${ctx.next}`,
    version,
    kind,
    points,
    colour: defaultColours[kind],
    author: ctx.author,
  };
}

const strokePoints = (ctx: PointerContext) => (ctx.straight ? snapStraight(ctx.points) : ctx.points);

export const pointerMachine = setup({
  types: {
    context: {} as PointerContext,
    events: {} as PointerEvent,
    emitted: {} as PointerEmitted,
    input: {} as { author: string; tool?: Tool },
  },
  guards: {
    isMouse: ({ context }) => context.tool === "mouse",
    isLaser: ({ context }) => context.tool === "laser",
    isArrow: ({ context }) => context.tool === "arrow",
    movedEnough: ({ context, event }) =>
      "x" in event &&
      Math.hypot(event.x - context.points[0]!, event.y - context.points[1]!) >= dragThresholdPx,
  },
  actions: {
    start: assign(({ event }) =>
      event.type === "pointer.down" ? { points: [event.x, event.y], straight: event.shift } : {},
    ),
    extend: assign(({ context, event }) =>
      "x" in event ? { points: [...context.points, event.x, event.y], straight: event.shift } : {},
    ),
    preview: emit(({ context }) => ({
      type: "annotation.preview" as const,
      annotation: record(context, strokePoints(context), 0),
    })),
    commit: emit(({ context }) => ({
      type: "annotation.commit" as const,
      annotation: record(context, thin(strokePoints(context), strokeSpacingPx), 1),
    })),
    stamp: emit(({ context, event }) => ({
      type: "annotation.commit" as const,
      annotation: record(context, "x" in event ? [event.x, event.y] : context.points.slice(0, 2), 1),
    })),
    nextId: assign({ next: ({ context }) => context.next + 1, points: [] }),
    laser: emit(({ event }) => ({
      type: "laser.at" as const,
      x: "x" in event ? event.x : 0,
      y: "y" in event ? event.y : 0,
    })),
    forward: emit(({ event }) => ({
      type: "input.pointer" as const,
      x: "x" in event ? event.x : 0,
      y: "y" in event ? event.y : 0,
      buttons: event.type === "pointer.down" ? 1 : 0,
    })),
    selectTool: assign({ tool: ({ event }) => (event.type === "tool.select" ? event.tool : "mouse") }),
  },
}).createMachine({
  id: "pointer",
  context: ({ input }) => ({
    tool: input.tool ?? "mouse",
    author: input.author,
    next: 1,
    points: [],
    straight: false,
  }),
  initial: "idle",
  on: {
    "tool.select": { target: ".idle", actions: ["selectTool", assign({ points: [] })] },
    // Esc returns to shared mouse and keyboard (R-V4).
    "key.escape": { target: ".idle", actions: [assign({ tool: "mouse" as Tool, points: [] })] },
  },
  states: {
    idle: {
      on: {
        "pointer.move": [
          { guard: "isMouse", actions: "forward" },
          { guard: "isLaser", actions: "laser" },
        ],
        "pointer.down": [
          { guard: "isMouse", actions: "forward" },
          { target: "pointing", actions: "start" },
        ],
        "pointer.up": { guard: "isMouse", actions: "forward" },
      },
    },
    pointing: {
      on: {
        "pointer.move": [
          { guard: "isLaser", actions: "laser" },
          { guard: "isArrow" },
          { guard: "movedEnough", target: "drawing", actions: ["extend", "preview"] },
        ],
        "pointer.up": [
          { guard: "isLaser", target: "idle" },
          // A click with a pen or highlighter leaves a dot; an arrow is a stamp where the pointer went down.
          { target: "idle", actions: ["stamp", "nextId"] },
        ],
      },
    },
    drawing: {
      on: {
        "pointer.move": { actions: ["extend", "preview"] },
        "pointer.up": { target: "idle", actions: ["extend", "commit", "nextId"] },
      },
    },
  },
});
