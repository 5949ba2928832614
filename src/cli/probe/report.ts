/**
 * The tables `itimer probe` prints and `npm run bench` writes, from one set of row builders:
 * the same columns as aligned text for a terminal or as Markdown for docs/performance.md.
 * @module
 */
import type { FirstTimerResult } from './first-timer.js';
import type { MechanismId } from './mechanisms.js';
import type { Quantiles, Summary } from './stats.js';
import { quantiles } from './stats.js';

/** A table: a header, rows of cells, and which columns are right-aligned (numbers). */
export interface Table {
  /** Column titles. */
  head: string[];
  /** Cells, one array per row, as long as `head`. */
  rows: string[][];
  /** Per column: true when it holds numbers (right-aligned). */
  numeric: boolean[];
}

/**
 * Renders a table as aligned text (a terminal) or Markdown (docs).
 * @param table the table.
 * @param style `'text'` or `'markdown'`.
 * @returns the lines joined with newlines, no trailing newline.
 */
export function renderTable(table: Table, style: 'text' | 'markdown'): string {
  if (style === 'markdown') {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(table.head), line(table.numeric.map((n) => (n ? '---:' : '---'))), ...table.rows.map(line)].join('\n');
  }
  const widths = table.head.map((h, i) => Math.max(h.length, ...table.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (table.numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(table.head), ...table.rows.map(line)].join('\n');
}

/**
 * µs with three significant digits or so: 0.76, 23.2, 792.
 * @param us a duration in µs.
 * @returns the text, or '—' for undefined / NaN.
 */
export function formatUs(us: number | undefined): string {
  if (us === undefined || Number.isNaN(us)) return '—';
  const size = Math.abs(us);
  return us.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2);
}

const ratio = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
const quantileCells = (q: Quantiles | undefined) => [formatUs(q?.p50), formatUs(q?.p90), formatUs(q?.p99), formatUs(q?.max)];

/**
 * The headline table: per delay, mechanism and frame (in the callback, after `await`), the
 * lateness quantiles, the early count, CPU % and the p50 ratios to the references.
 * @param summaries one run's summaries.
 * @param name how to print a mechanism.
 * @returns the table.
 */
export function latenessTable(summaries: readonly Summary[], name: (id: MechanismId) => string): Table {
  const rows = summaries.flatMap((s) =>
    (['callback', 'await'] as const).flatMap((frame) => {
      const q = s[frame];
      if (!q) return [];
      return [[`${s.delayMs} ms`, name(s.id), frame === 'callback' ? 'callback' : 'after await', ...quantileCells(q), `${q.early}/${q.n}`, s.cpuPercent.toFixed(1), ratio(q.vsSetTimeout), ratio(q.vsWatcher)]];
    }),
  );
  return {
    head: ['delay', 'mechanism', 'resumes', 'p50', 'p90', 'p99', 'max', 'early', 'CPU %', 'p50 ÷ setTimeout', 'p50 ÷ watcher'],
    rows,
    numeric: [true, false, false, true, true, true, true, true, true, true, true],
  };
}

/**
 * The backends compared: each run's itimer rows of {@link latenessTable}, after a backend column.
 * @param runs each backend's summaries (one fresh process each).
 * @param name how to print a mechanism.
 * @param ids the mechanisms to show.
 * @returns the table.
 */
export function backendsTable(runs: readonly { backend: string; summaries: readonly Summary[] }[], name: (id: MechanismId) => string, ids: readonly MechanismId[]): Table {
  const one = (summaries: readonly Summary[]) => latenessTable(summaries.filter((s) => ids.includes(s.id)), name);
  const table = one([]);
  return {
    head: ['backend', ...table.head],
    rows: runs.flatMap((run) => one(run.summaries).rows.map((row) => [run.backend, ...row])),
    numeric: [false, ...table.numeric],
  };
}

/**
 * Promise resumption: for each callback mechanism, how long after the callback resolved a
 * promise its `await` continued; the busy-wait's is a promise resolved synchronously at the
 * deadline, the reference for the others.
 * @param summaries one run's summaries.
 * @param name how to print a mechanism.
 * @returns the table.
 */
export function resumptionTable(summaries: readonly Summary[], name: (id: MechanismId) => string): Table {
  const rows = summaries.flatMap((s) => {
    if (!s.resumption) return [];
    const sync = summaries.find((r) => r.id === 'busy-wait' && r.delayMs === s.delayMs)?.resumption;
    return [[`${s.delayMs} ms`, name(s.id), ...quantileCells(s.resumption), formatUs(sync && s.resumption.p50 - sync.p50)]];
  });
  return { head: ['delay', 'promise resolved in', 'p50', 'p90', 'p99', 'max', 'p50 − synchronous p50'], rows, numeric: [true, false, true, true, true, true, true] };
}

/**
 * Diagnostics, never the headline: lateness from each mechanism's own deadline (for the chain,
 * `now() − deadlineNs`) and how long into the arming call it read its clock.
 * @param summaries one run's summaries.
 * @param name how to print a mechanism.
 * @returns the table.
 */
export function ownFrameTable(summaries: readonly Summary[], name: (id: MechanismId) => string): Table {
  const rows = summaries.flatMap((s) => (s.ownFrame ? [[`${s.delayMs} ms`, name(s.id), formatUs(s.ownFrame.p50), formatUs(s.ownFrame.p99), formatUs(s.armLag?.p50), formatUs(s.armLag?.p99)]] : []));
  return { head: ['delay', 'mechanism', 'own frame p50', 'p99', 'call → its clock read p50', 'p99'], rows, numeric: [true, false, true, true, true, true] };
}

/**
 * The first timer of a process, per case: the median and the worst of the fresh processes, ms.
 * @param results the first-timer results.
 * @returns the table.
 */
export function firstTimerTable(results: readonly FirstTimerResult[]): Table {
  const ms = (us: number | undefined) => (us === undefined ? '—' : (us / 1000).toFixed(2));
  const rows = results.map((r) => {
    const q = quantiles(r.lateNs);
    return [r.armed === 'top-level' ? 'at top level, right after the import' : 'after 50 ms of idle', r.mechanism === 'setTimer' ? 'setTimer(cb, 1)' : "Node's setTimeout(cb, 1)", String(q?.n ?? 0), ms(q?.p50), ms(q?.max)];
  });
  return { head: ['armed', 'mechanism', 'processes', 'p50 ms late', 'max ms late'], rows, numeric: [false, false, true, true, true] };
}
