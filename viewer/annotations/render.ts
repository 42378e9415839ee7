// Draws the annotation scene on its own canvas layer above the remote screen (R-V4); geometry lives in geometry.ts.
import type { Annotation } from "../../protocol/annotations/index.ts";

/** The part of CanvasRenderingContext2D the renderer uses, so it runs on a browser canvas and on @napi-rs/canvas alike. */
export interface Pen {
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  stroke(): void;
  fill(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  fillStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  globalAlpha: number;
}

export interface View {
  scale: number;
  scrollX: number;
  scrollY: number;
  width: number;
  height: number;
}

const widthByKind = { pen: 3, highlighter: 16, arrow: 3, laser: 0 } as const;

export function renderScene(
  pen: Pen,
  annotations: readonly Annotation[],
  view: View,
  laser?: [number, number],
): void {
  pen.setTransform(1, 0, 0, 1, 0, 0);
  pen.clearRect(0, 0, view.width, view.height);
  pen.setTransform(view.scale, 0, 0, view.scale, -view.scrollX, -view.scrollY);
  for (const a of annotations) {
    if (a.kind === "arrow") drawArrow(pen, a);
    else if (a.kind !== "laser") drawStroke(pen, a);
  }
  if (laser) drawLaser(pen, laser, view.scale);
}

function drawStroke(pen: Pen, a: Annotation): void {
  pen.save();
  pen.strokeStyle = a.colour;
  pen.fillStyle = a.colour;
  pen.globalAlpha = a.kind === "highlighter" ? 0.4 : 1;
  pen.lineWidth = widthByKind[a.kind];
  pen.lineCap = a.kind === "highlighter" ? "butt" : "round";
  pen.lineJoin = "round";
  const p = a.points;
  if (p.length === 2) {
    pen.beginPath();
    pen.arc(p[0]!, p[1]!, widthByKind[a.kind] / 2, 0, Math.PI * 2);
    pen.fill();
  } else {
    pen.beginPath();
    pen.moveTo(p[0]!, p[1]!);
    for (let i = 2; i < p.length; i += 2) pen.lineTo(p[i]!, p[i + 1]!);
    pen.stroke();
  }
  pen.restore();
}

/** An arrow stamp pointing at (x, y) from the lower right, as the guide's arrow tool does. */
function drawArrow(pen: Pen, a: Annotation): void {
  const [x, y] = [a.points[0]!, a.points[1]!];
  pen.save();
  pen.fillStyle = a.colour;
  pen.beginPath();
  pen.moveTo(x, y);
  pen.lineTo(x + 8, y + 26);
  pen.lineTo(x + 13, y + 19);
  pen.lineTo(x + 28, y + 34);
  pen.lineTo(x + 34, y + 28);
  pen.lineTo(x + 19, y + 13);
  pen.lineTo(x + 26, y + 8);
  pen.closePath();
  pen.fill();
  pen.restore();
}

function drawLaser(pen: Pen, [x, y]: [number, number], scale: number): void {
  pen.save();
  pen.fillStyle = "#ff2020";
  pen.globalAlpha = 0.85;
  pen.beginPath();
  pen.arc(x, y, 6 / scale, 0, Math.PI * 2);
  pen.fill();
  pen.restore();
}
