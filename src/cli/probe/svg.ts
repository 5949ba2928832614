/**
 * An SVG plot of lateness: for each delay, one bar per mechanism at its p50 and a line at
 * its p99, on a log scale. No dependencies; the output is a standalone SVG document.
 * @module
 */

/** One point of the plot. */
export interface LatenessPoint {
  /** Mechanism name (legend). */
  mode: string;
  /** Delay, ms (group). */
  delayMs: number;
  /** Median lateness, µs. */
  p50: number;
  /** 99th percentile lateness, µs. */
  p99: number;
}

const COLORS = ['#555555', '#1f77b4', '#aec7e8', '#2ca02c', '#98df8a', '#17becf', '#bcbd22', '#ff7f0e', '#9467bd', '#d62728', '#8c564b', '#e377c2'];

const escape = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Renders the points; `modes` and `delays` fix the order of bars and groups; `title` heads the plot. */
export function latenessSvg(points: readonly LatenessPoint[], modes: readonly string[], delays: readonly number[], title: string): string {
  const width = 780;
  const height = 376;
  const left = 60;
  const bottom = 300;
  const top = 24;
  const maxUs = Math.max(10, ...points.map((p) => p.p99));
  const floorUs = 0.1; // the axis starts here: a busy-wait resumes in well under 1 µs
  const y = (v: number) => bottom - (Math.log10(Math.max(v, floorUs) / floorUs) / Math.log10(maxUs / floorUs)) * (bottom - top);
  const groupWidth = (width - left - 20) / delays.length;
  const barWidth = groupWidth / (modes.length + 1);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`, `<rect width="${width}" height="${height}" fill="white"/>`];
  for (let decade = -1; 10 ** decade <= maxUs * 1.01; decade++) {
    const yy = y(10 ** decade).toFixed(1);
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${yy}" y2="${yy}" stroke="#dddddd"/><text x="${left - 6}" y="${yy}" text-anchor="end" dy="4">${10 ** decade} µs</text>`);
  }
  delays.forEach((delayMs, g) => {
    const x0 = left + g * groupWidth;
    parts.push(`<text x="${(x0 + groupWidth / 2).toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${delayMs} ms</text>`);
    modes.forEach((mode, m) => {
      const p = points.find((q) => q.mode === mode && q.delayMs === delayMs);
      if (!p) return;
      const x = x0 + (m + 0.5) * barWidth;
      const color = COLORS[m % COLORS.length];
      const label = escape(`${mode} at ${delayMs} ms: p50 ${p.p50} µs, p99 ${p.p99} µs`);
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(p.p50).toFixed(1)}" width="${(barWidth * 0.8).toFixed(1)}" height="${(bottom - y(p.p50)).toFixed(1)}" fill="${color}"><title>${label}</title></rect>`);
      parts.push(`<line x1="${x.toFixed(1)}" x2="${(x + barWidth * 0.8).toFixed(1)}" y1="${y(p.p99).toFixed(1)}" y2="${y(p.p99).toFixed(1)}" stroke="${color}" stroke-width="3"/>`);
    });
  });
  const perRow = 6;
  const legendStep = (width - left) / perRow;
  modes.forEach((mode, m) => {
    const x = left + (m % perRow) * legendStep;
    const yy = bottom + 32 + Math.floor(m / perRow) * 16;
    parts.push(`<rect x="${x.toFixed(1)}" y="${yy}" width="10" height="10" fill="${COLORS[m % COLORS.length]}"/><text x="${(x + 14).toFixed(1)}" y="${yy + 9}">${escape(mode)}</text>`);
  });
  parts.push(`<text x="${left}" y="14">${escape(title)}</text>`, '</svg>');
  return `${parts.join('\n')}\n`;
}
