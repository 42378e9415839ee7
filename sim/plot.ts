// A hand-written SVG of one run: waiting requests and Queue-mode queue length over time, and each customer's wait.
import type { Series } from "./stats.ts";

const W = 960;
const H = 560;
const LEFT = 64;
const RIGHT = 24;
const TOP = 48;
const PANEL = 200;
const GAP = 72;

/** `marks` are labelled moments drawn as dashed lines, e.g. when arrivals stop and when everyone goes home. */
export function plotSvg(
  series: Series,
  title: string,
  endMs: number,
  marks: Array<[number, string]> = [],
): string {
  const xMax = Math.max(1, endMs / 60_000);
  const x = (ms: number) => LEFT + ((ms / 60_000) * (W - LEFT - RIGHT)) / xMax;
  const waitingMax = niceMax(Math.max(1, ...peak(series.waiting), ...peak(series.queued)));
  const waitMax = niceMax(series.waits.reduce((m, [, s]) => Math.max(m, s), 1));
  const top = TOP;
  const bottom = TOP + PANEL + GAP;
  const yTop = (n: number) => top + PANEL - (n / waitingMax) * PANEL;
  const yBottom = (s: number) => bottom + PANEL - (s / waitMax) * PANEL;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${LEFT}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...axes(top, "requests waiting", waitingMax, xMax, yTop),
    step(series.waiting, x, yTop, "#d97706", endMs),
    step(series.queued, x, yTop, "#2563eb", endMs, "3 2"),
    legend(top, [
      ["#d97706", "waiting for an agent (all modes)"],
      ["#2563eb", "in Queue-mode queues"],
    ]),
    ...axes(bottom, "wait (s)", waitMax, xMax, yBottom),
    dots(series.waits, x, yBottom),
    legend(bottom, [["#059669", "one customer's wait, posted → session started"]]),
    ...marks.map(([ms, label], i) => mark(x(ms), label, i)),
    `<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 12}" text-anchor="middle">simulated minutes</text>`,
    "</svg>",
  ];
  return parts.join("\n");
}

/** A dashed line at a labelled moment; labels go one row apart so that close moments stay readable. */
function mark(px: number, label: string, row: number): string {
  const y2 = TOP + 2 * PANEL + GAP;
  const right = px > W - 180;
  const y = TOP + 12 + row * 14;
  const text = `<text x="${right ? px - 4 : px + 4}" y="${y}" fill="#555" text-anchor="${right ? "end" : "start"}">${escapeXml(label)}</text>`;
  return `<line x1="${px}" y1="${TOP}" x2="${px}" y2="${y2}" stroke="#888" stroke-dasharray="4 4"/>${text}`;
}

function axes(y0: number, label: string, yMax: number, xMax: number, y: (v: number) => number): string[] {
  const out = [
    `<line x1="${LEFT}" y1="${y0 + PANEL}" x2="${W - RIGHT}" y2="${y0 + PANEL}" stroke="#333"/>`,
    `<line x1="${LEFT}" y1="${y0}" x2="${LEFT}" y2="${y0 + PANEL}" stroke="#333"/>`,
    `<text x="14" y="${y0 + PANEL / 2}" transform="rotate(-90 14 ${y0 + PANEL / 2})" text-anchor="middle">${label}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(
      `<line x1="${LEFT}" y1="${y(v)}" x2="${W - RIGHT}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  const stepMin = niceStep(xMax / 8);
  for (let m = 0; m <= xMax; m += stepMin) {
    const px = LEFT + (m * (W - LEFT - RIGHT)) / xMax;
    out.push(`<text x="${px}" y="${y0 + PANEL + 16}" text-anchor="middle">${fmt(m)}</text>`);
  }
  return out;
}

/** A step line; long series keep each pixel column's highest value so that peaks stay visible. */
function step(
  points: Array<[number, number]>,
  x: (ms: number) => number,
  y: (v: number) => number,
  colour: string,
  endMs: number,
  dash?: string,
): string {
  if (points.length === 0) return "";
  const cols = new Map<number, [number, number]>();
  for (const [t, v] of points) {
    const col = Math.round(x(t));
    const prev = cols.get(col);
    cols.set(col, [prev ? Math.max(prev[0], v) : v, v]);
  }
  let d = "";
  let last = 0;
  for (const [col, [high, end]] of [...cols].sort((a, b) => a[0] - b[0])) {
    d += d ? ` H${col} V${y(high)} V${y(end)}` : `M${col} ${y(high)} V${y(end)}`;
    last = end;
  }
  d += ` H${x(endMs)} V${y(last)}`;
  return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`;
}

function dots(points: Array<[number, number]>, x: (ms: number) => number, y: (v: number) => number): string {
  const every = Math.max(1, Math.ceil(points.length / 4000));
  const circles = points
    .filter((_, i) => i % every === 0)
    .map(([t, s]) => `<circle cx="${x(t).toFixed(1)}" cy="${y(s).toFixed(1)}" r="1.8"/>`);
  return `<g fill="#059669" fill-opacity="0.6">${circles.join("")}</g>`;
}

function legend(y0: number, items: Array<[string, string]>): string {
  return items
    .map(
      ([colour, text], i) =>
        `<rect x="${LEFT + 12 + i * 300}" y="${y0 - 18}" width="12" height="12" fill="${colour}"/><text x="${LEFT + 30 + i * 300}" y="${y0 - 8}">${escapeXml(text)}</text>`,
    )
    .join("");
}

function peak(points: Array<[number, number]>): number[] {
  let m = 0;
  for (const [, v] of points) m = Math.max(m, v);
  return [m];
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const niceMax = (v: number) => (niceStep(v / 4) * 4 >= v ? niceStep(v / 4) * 4 : niceStep(v / 4) * 5);
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const escapeXml = (s: string) => s.replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
