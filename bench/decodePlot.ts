// The decode bench's plot, written as SVG by hand: per case, decode and paint at the median as one stacked bar, the
// p95 of decode + paint as a tick, and the target as a vertical line.

export interface DecodeRow {
  readonly case: string;
  readonly decodePerFrame: { readonly p50Ms: number };
  readonly paintPerFrame: { readonly p50Ms: number };
  readonly decodePlusPaintPerFrame: { readonly p50Ms: number; readonly p95Ms: number };
}

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const decodePlotSvg = (
  title: string,
  subtitle: string,
  rows: readonly DecodeRow[],
  targetMs: number,
): string => {
  const left = 300;
  const plotWidth = 600;
  const rowH = 26;
  const top = 70;
  const height = top + rows.length * rowH + 60;
  const width = left + plotWidth + 60;
  const maxMs = Math.max(targetMs * 1.5, ...rows.map((r) => r.decodePlusPaintPerFrame.p95Ms)) * 1.05;
  const xOf = (ms: number) => left + (ms / maxMs) * plotWidth;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="44" text-anchor="middle" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
  const bottom = top + rows.length * rowH;
  for (let ms = 0; ms <= maxMs; ms += 1) {
    const x = xOf(ms);
    out.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle" fill="#555">${ms}</text>`);
  }
  out.push(
    `<text x="${left + plotWidth / 2}" y="${bottom + 34}" text-anchor="middle" font-size="11">ms per frame</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const decode = r.decodePerFrame.p50Ms;
    const paint = r.paintPerFrame.p50Ms;
    const p95 = r.decodePlusPaintPerFrame.p95Ms;
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${escapeXml(r.case)}</text>`);
    out.push(`<rect x="${left}" y="${y + 3}" width="${xOf(decode) - left}" height="14" fill="#2e7d32"/>`);
    out.push(
      `<rect x="${xOf(decode)}" y="${y + 3}" width="${xOf(decode + paint) - xOf(decode)}" height="14" fill="#81c784"/>`,
    );
    out.push(
      `<line x1="${xOf(p95)}" y1="${y}" x2="${xOf(p95)}" y2="${y + 20}" stroke="#c62828" stroke-width="2"/>`,
    );
  });
  const tx = xOf(targetMs);
  out.push(
    `<line x1="${tx}" y1="${top - 10}" x2="${tx}" y2="${bottom}" stroke="#c62828" stroke-dasharray="4 3"/>`,
  );
  out.push(`<text x="${tx + 4}" y="${top - 12}" fill="#c62828">target ${targetMs} ms</text>`);
  const legend = [
    ["#2e7d32", "decode p50"],
    ["#81c784", "paint p50"],
  ] as const;
  legend.forEach(([colour, label], i) => {
    const x = left + i * 120;
    out.push(`<rect x="${x}" y="${bottom + 42}" width="12" height="12" fill="${colour}"/>`);
    out.push(`<text x="${x + 16}" y="${bottom + 52}">${label}</text>`);
  });
  out.push(
    `<line x1="${left + 240}" y1="${bottom + 41}" x2="${left + 240}" y2="${bottom + 55}" stroke="#c62828" stroke-width="2"/>`,
  );
  out.push(`<text x="${left + 246}" y="${bottom + 52}">decode + paint p95</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
};
