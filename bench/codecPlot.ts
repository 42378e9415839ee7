// The codec benchmark's plot, written as SVG by hand: Mbit/s at 30 fps per case, Tandem beside the two baselines, log scale.

export interface PlotRow {
  readonly label: string;
  /** Mbit/s at 30 frames per second, per series, in `series` order. */
  readonly values: readonly number[];
}

const SERIES = [
  { name: "Tandem (tiles, copy/scroll, lossless)", colour: "#2e7d32" },
  { name: "full-frame PNG (pngjs level 1, no filter)", colour: "#1565c0" },
  { name: "full-frame LZ4 (lz4-napi)", colour: "#ef6c00" },
] as const;

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const fmt = (v: number): string =>
  v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(2) : v.toFixed(4);

/** Horizontal grouped bars on a log10 axis from 10⁻³ to 10⁴ Mbit/s; `marks` draws labelled vertical lines (targets). */
export const codecPlotSvg = (
  title: string,
  subtitle: string,
  rows: readonly PlotRow[],
  marks: readonly { value: number; label: string }[] = [],
): string => {
  const minExp = -3;
  const maxExp = 4;
  const left = 300;
  const plotWidth = 620;
  const barH = 12;
  const groupH = SERIES.length * barH + 14;
  const top = 70;
  const height = top + rows.length * groupH + 70;
  const width = left + plotWidth + 90;
  const xOf = (v: number): number => {
    const e = Math.log10(Math.max(v, 10 ** minExp));
    return left + ((Math.min(e, maxExp) - minExp) / (maxExp - minExp)) * plotWidth;
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="38" fill="#555">${escapeXml(subtitle)}</text>`,
  );
  for (let e = minExp; e <= maxExp; e++) {
    const x = xOf(10 ** e);
    out.push(
      `<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${top + rows.length * groupH}" stroke="#ddd"/>`,
      `<text x="${x}" y="${top - 12}" text-anchor="middle" fill="#555">${fmt(10 ** e)}</text>`,
    );
  }
  rows.forEach((row, r) => {
    const y0 = top + r * groupH;
    out.push(
      `<text x="${left - 8}" y="${y0 + (SERIES.length * barH) / 2 + 4}" text-anchor="end">${escapeXml(row.label)}</text>`,
    );
    row.values.forEach((v, s) => {
      const y = y0 + s * barH;
      const x = xOf(v);
      out.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, x - left).toFixed(1)}" height="${barH - 2}" fill="${SERIES[s]!.colour}"/>`,
        `<text x="${x + 4}" y="${y + barH - 3}" font-size="9" fill="#333">${fmt(v)}</text>`,
      );
    });
  });
  for (const mark of marks) {
    const x = xOf(mark.value);
    out.push(
      `<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${top + rows.length * groupH}" stroke="#c62828" stroke-dasharray="4 3"/>`,
      `<text x="${x + 3}" y="${top + rows.length * groupH + 12}" fill="#c62828">${escapeXml(mark.label)}</text>`,
    );
  }
  const legendY = top + rows.length * groupH + 32;
  SERIES.forEach((s, i) => {
    const x = 10 + i * 320;
    out.push(
      `<rect x="${x}" y="${legendY}" width="12" height="12" fill="${s.colour}"/>`,
      `<text x="${x + 16}" y="${legendY + 10}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push(
    `<text x="${left}" y="${height - 8}" fill="#555">Mbit/s at 30 frames per second (log scale)</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
};
