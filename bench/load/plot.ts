// A hand-written SVG of latency against offered load: request→alert p95/p99 and chat p99 per step (log scale),
// the target lines, the knee, and the overload point.
import type { Summary } from "./recorder.ts";

interface StepFigures {
  label: string;
  offeredRequestsPerS: number;
  achievedRequestsPerS: number;
  chatPerS: number;
  /** Share of the step's posts refused by admission (close 1013). */
  shedPct: number;
  alert: Summary;
  chat: Summary;
}

const W = 820;
const H = 460;
const pad = { l: 70, r: 200, t: 62, b: 74 };

export function latencyPlot(
  steps: StepFigures[],
  overload: {
    alert: Summary;
    chat: Summary;
    posted: { posted: number; seconds: number };
    [k: string]: unknown;
  } | null,
  thresholds: { alertP95Ms: number; alertP99Ms: number; kneeP99Ms: number; overloadP99Ms: number },
): string {
  const overloadRate = overload ? overload.posted.posted / Math.max(overload.posted.seconds, 1) : 0;
  const xMax = Math.max(...steps.map((s) => s.offeredRequestsPerS), overloadRate, 1) * 1.1;
  const values = steps
    .flatMap((s) => [s.alert.p95, s.alert.p99, s.chat.p99])
    .concat(overload ? [overload.alert.p99, overload.chat.p99] : []);
  const yMin = 0.5;
  const yMax = Math.max(1_000, ...values) * 1.2;
  const x = (v: number) => pad.l + (v / xMax) * (W - pad.l - pad.r);
  const y = (v: number) =>
    pad.t +
    (1 - (Math.log10(Math.max(v, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) *
      (H - pad.t - pad.b);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(
    `<text x="${pad.l}" y="22" font-size="15" font-weight="bold">Tandem load: latency against offered load (chat ≈ 50 lines/s per request/s)</text>`,
  );
  // Axes and grid.
  for (const v of [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].filter((v) => v <= yMax)) {
    out.push(`<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (const s of steps) {
    out.push(
      `<line x1="${x(s.offeredRequestsPerS)}" x2="${x(s.offeredRequestsPerS)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#f4f4f4"/>`,
    );
    out.push(
      `<text x="${x(s.offeredRequestsPerS)}" y="${H - pad.b + 16}" text-anchor="middle">${s.offeredRequestsPerS}</text>`,
    );
    out.push(
      `<text x="${x(s.offeredRequestsPerS)}" y="${H - pad.b + 30}" text-anchor="middle" fill="#888">${s.chatPerS}</text>`,
    );
    if (s.shedPct > 0)
      out.push(
        `<text x="${x(s.offeredRequestsPerS)}" y="${H - pad.b + 44}" text-anchor="middle" fill="#b8860b">${Math.round(s.shedPct)} % shed</text>`,
      );
  }
  out.push(`<line x1="${pad.l}" x2="${pad.l}" y1="${pad.t}" y2="${H - pad.b}" stroke="black"/>`);
  out.push(`<line x1="${pad.l}" x2="${W - pad.r}" y1="${H - pad.b}" y2="${H - pad.b}" stroke="black"/>`);
  out.push(
    // Centred on the whole picture: it is wider than the plotting area.
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle" font-size="11">offered new requests/s (grey: measured chat lines/s; amber: posts shed by admission; red: overload, requests/s posted)</text>`,
  );
  out.push(
    `<text x="18" y="${(pad.t + H - pad.b) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(pad.t + H - pad.b) / 2})">latency, ms (log scale)</text>`,
  );
  // Target lines.
  const target = (v: number, label: string) => {
    out.push(
      `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#c33" stroke-dasharray="5 4"/>`,
    );
    out.push(`<text x="${W - pad.r + 4}" y="${y(v) + 4}" fill="#c33">${label}</text>`);
  };
  target(thresholds.alertP95Ms, `${thresholds.alertP95Ms} ms: alert p95 target`);
  target(thresholds.alertP99Ms, `${thresholds.alertP99Ms} ms: alert/chat p99 target`);
  target(thresholds.kneeP99Ms, `${thresholds.kneeP99Ms} ms: knee (p99)`);
  target(thresholds.overloadP99Ms, `${thresholds.overloadP99Ms} ms: overload p99`);
  // Series.
  const series: Array<[string, string, (s: StepFigures) => number]> = [
    ["alert p95", "#1f77b4", (s) => s.alert.p95],
    ["alert p99", "#08306b", (s) => s.alert.p99],
    ["chat p99", "#2ca02c", (s) => s.chat.p99],
  ];
  series.forEach(([name, colour, get], i) => {
    const path = steps
      .map((s, k) => `${k ? "L" : "M"}${x(s.offeredRequestsPerS).toFixed(1)},${y(get(s)).toFixed(1)}`)
      .join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const s of steps)
      out.push(
        `<circle cx="${x(s.offeredRequestsPerS)}" cy="${y(get(s))}" r="3.5" fill="${colour}"><title>${name} at ${s.label}: ${get(s)} ms</title></circle>`,
      );
    const lx = pad.l + i * 110;
    out.push(`<line x1="${lx}" x2="${lx + 20}" y1="40" y2="40" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 24}" y="44">${name}</text>`);
  });
  if (overload) {
    const ox = x(overloadRate);
    const worst = Math.max(overload.alert.p99, overload.chat.p99);
    out.push(
      `<rect x="${ox - 5}" y="${y(worst) - 5}" width="10" height="10" fill="#d62728"><title>overload: existing sessions p99 ${worst} ms</title></rect>`,
    );
    out.push(
      `<text x="${ox}" y="${H - pad.b + 16}" text-anchor="middle" fill="#d62728">${Math.round(overloadRate)}</text>`,
    );
    const lx = pad.l + 3 * 110;
    out.push(`<rect x="${lx + 5}" y="35" width="10" height="10" fill="#d62728"/>`);
    out.push(`<text x="${lx + 24}" y="44">overload: existing sessions p99</text>`);
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
