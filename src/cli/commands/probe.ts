/**
 * `itimer probe`: how late timers resume the user's code on this host, per mechanism and per
 * backend, with a progress bar, tables, an optional SVG, a recommended `--clock` string and a
 * one-sentence verdict.
 *
 * Three measurements, each in fresh processes (the measuring code is in ../probe/):
 * 1. every mechanism interleaved sample by sample in one process, the chain on the first
 *    backend of the list that starts — lateness in the callback and after `await`, the promise
 *    resumption, CPU %, and the chain's own frame as a labelled diagnostic;
 * 2. each backend of the list in its own process: `setTimer` and `sleep` interleaved with the
 *    references (the bare timerfd watcher, Node's `setTimeout`), ranked by `setTimer`'s median
 *    against the watcher's in the same process (a ratio, so a machine that is slower for one
 *    process than for the next does not decide the order);
 * 3. the first timer of a fresh process, `setTimer` against Node's `setTimeout`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BackendName } from '../../backends/index.js';
import { runInChild } from '../probe/child.js';
import type { FirstTimerResult } from '../probe/first-timer.js';
import { measureFirstTimers } from '../probe/first-timer.js';
import type { Plan, Run } from '../probe/measure.js';
import type { MechanismId } from '../probe/mechanisms.js';
import { ITIMER_MECHANISMS, MECHANISM_LABELS, MECHANISMS } from '../probe/mechanisms.js';
import type { Table } from '../probe/report.js';
import { backendsTable, firstTimerTable, formatUs, latenessTable, ownFrameTable, renderTable, resumptionTable } from '../probe/report.js';
import type { Summary } from '../probe/stats.js';
import { quantiles, summarise } from '../probe/stats.js';
import { latenessSvg } from '../probe/svg.js';
import { clockOption } from '../clock-option.js';
import { UsageError } from '../usage.js';

export const PROBE_USAGE = `Usage: itimer probe [--clock LIST] [--samples N] [--delay MS]... [--json] [--svg FILE]

Measures how late timers resume your code on this host — in the callback and after
await, from the clock read just before the arming call plus the delay — and the CPU
each mechanism costs. In one process, on the first backend of LIST that starts, every
mechanism is measured interleaved sample by sample, the order shuffled every round:
setTimer and sleep (with and without spin: true), the itimer/timers and
itimer/promises drop-ins, a busy-wait to the deadline (the floor), a bare timerfd
watcher (no chain), nanotimer (if installed) and Node's setTimeout. Then each backend of
LIST in a fresh process, and the first timer of a fresh process. Recommends a --clock
string. LIST defaults to ITIMER_CLOCK, else the default order ('virtual' is left out).

  --clock LIST     Backends to measure, in order (QEMU -clock semantics).
  --samples N      Samples per mechanism and delay (default 50); fresh processes
                   per first-timer case: the same, at most 5.
  --delay MS       A delay to measure, repeatable (default: 1 and 5).
  --json           Machine-readable output.
  --svg FILE       Also write an SVG plot (after-await p50 bars, p99 lines, log scale).`;

/** What each backend's process measures beside the references. */
const BACKEND_MECHANISMS: readonly MechanismId[] = ['setTimer', 'sleep', 'watcher', 'setTimeout'];
/** Fresh processes per first-timer case, at most (fewer when --samples is smaller). */
const FIRST_TIMER_RUNS = 5;

/** One backend's run, summarised. */
interface BackendResult {
  backend: BackendName;
  summaries: Summary[];
}

/**
 * The probe's one-sentence verdict: what to use here, and what it costs.
 * @param best the best-ranked backend's run, if any backend could be measured.
 * @param main the interleaved run of every mechanism.
 * @param delays the delays measured; the first is quoted.
 * @param early how many itimer rows (mechanism, delay, frame) had a sample before its deadline.
 * @returns the sentence.
 */
export function probeVerdict(best: BackendResult | undefined, main: readonly Summary[], delays: readonly number[], early: number): string {
  if (!best) return 'Verdict: no backend could be measured here; see the errors above.';
  const at = delays[0]!;
  const chosen = best.summaries.find((s) => s.id === 'setTimer' && s.delayMs === at)?.callback;
  const spin = main.find((s) => s.id === 'setTimer-spin' && s.delayMs === at);
  const parts = [`Verdict: use '${best.backend}'`];
  if (chosen) {
    parts.push(` (setTimer's callback runs ${formatUs(chosen.p50)} µs after the deadline at the median at ${at} ms`);
    const vs = chosen.vsSetTimeout;
    if (vs !== undefined) parts.push(vs <= 1 ? `, ${(1 / vs).toFixed(1)}× closer to it than setTimeout` : `, ${vs.toFixed(1)}× later than setTimeout`);
    parts.push(')');
  }
  if (spin?.callback) parts.push(`; for microsecond precision pass spin: true (${formatUs(spin.callback.p50)} µs at the median, ${spin.cpuPercent.toFixed(0)} % of a core at ${at} ms)`);
  parts.push(early === 0 ? '. No itimer mechanism resumed early.' : `. ${early} itimer measurement(s) resumed early: please report it.`);
  return parts.join('');
}

function progressBar(fraction: number, label: string): string {
  const width = 30;
  const filled = Math.round(Math.min(1, fraction) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}`;
}

export async function probeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      clock: { type: 'string' },
      samples: { type: 'string' },
      delay: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      svg: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${PROBE_USAGE}\n`);
    return 0;
  }
  const backends: BackendName[] = clockOption(values.clock, PROBE_USAGE).order.filter((b) => b !== 'virtual');
  if (backends.length === 0) {
    throw new UsageError("'virtual' has no real time to measure: name at least one real backend (timerfd, dynticks, unix, libuv)", PROBE_USAGE);
  }
  const samples = Number(values.samples ?? 50);
  if (!Number.isInteger(samples) || samples < 1 || samples > 100_000) throw new UsageError(`--samples must be a whole number from 1 to 100000, not '${values.samples}'`, PROBE_USAGE);
  const delays = (values.delay ?? ['1', '5']).map(Number);
  if (delays.some((d) => !Number.isFinite(d) || d <= 0 || d > 60_000)) throw new UsageError(`--delay must be a number of ms above 0 and up to 60000, not '${values.delay?.join(' ')}'`, PROBE_USAGE);
  const clock = backends.join(',');
  const firstTimerRuns = Math.min(samples, FIRST_TIMER_RUNS);

  // ---- measure, with a progress bar on stderr ----
  const tty = process.stderr.isTTY;
  const steps = 2 + backends.length;
  let step = 0;
  const show = (fraction: number, label: string) => {
    const line = progressBar((step + fraction) / steps, label);
    process.stderr.write(tty ? `\r\x1b[K${line}` : fraction === 0 ? `${line}\n` : '');
  };
  const fail = (what: string, error: unknown) => process.stderr.write(`${tty ? '\n' : ''}itimer: measuring ${what} failed: ${(error as Error).message.split('\n')[0]}\n`);
  const plan = (mechanisms: readonly MechanismId[], planClock: string): Plan => ({ clock: planClock, mechanisms: [...mechanisms], delaysMs: delays, rounds: samples });

  let main: Run | undefined;
  const label = `every mechanism, interleaved, on '${clock}'`;
  show(0, label);
  try {
    main = await runInChild(plan(MECHANISMS, clock), (done, total) => show(done / total, `${label}: round ${done}/${total}`));
  } catch (error) {
    fail('the mechanisms', error);
  }
  const mainSummaries = main ? summarise(main.series) : [];
  const measured: BackendResult[] = [];
  for (const backend of backends) {
    step++;
    show(0, `backend ${backend}`);
    try {
      const run = await runInChild(plan(BACKEND_MECHANISMS, backend), (done, total) => show(done / total, `backend ${backend}: round ${done}/${total}`));
      measured.push({ backend, summaries: summarise(run.series) });
    } catch (error) {
      fail(`backend ${backend}`, error);
    }
  }
  step++;
  show(0, 'first timer of a fresh process');
  let firstTimers: FirstTimerResult[] = [];
  try {
    firstTimers = await measureFirstTimers(firstTimerRuns, { clock, onProgress: (done, total) => show(done / total, `first timer of a fresh process: ${done}/${total}`) });
  } catch (error) {
    fail('the first timer', error);
  }
  step++;
  const doneLine = progressBar(1, 'done');
  process.stderr.write(tty ? `\r\x1b[K${doneLine}\n` : `${doneLine}\n`);

  // ---- rank, recommend, judge ----
  // setTimer's callback p50 ÷ the watcher's in the same process, geometric mean over the delays.
  const score = (b: BackendResult) =>
    Math.exp(delays.reduce((sum, d) => sum + Math.log(Math.max(b.summaries.find((s) => s.id === 'setTimer' && s.delayMs === d)?.callback?.vsWatcher ?? 1e9, 1e-3)), 0) / delays.length);
  const ranked = [...measured].sort((a, b) => score(a) - score(b));
  const recommendation = ranked.map((b) => b.backend).join(',');
  const early = [...mainSummaries, ...measured.flatMap((b) => b.summaries)].filter((s) => ITIMER_MECHANISMS.includes(s.id)).reduce((n, s) => n + (s.await.early > 0 ? 1 : 0) + ((s.callback?.early ?? 0) > 0 ? 1 : 0), 0);
  const verdict = probeVerdict(ranked[0], mainSummaries, delays, early);
  if (values.svg) {
    const points = mainSummaries.map((s) => ({ mode: s.id, delayMs: s.delayMs, p50: s.await.p50, p99: s.await.p99 }));
    writeFileSync(values.svg, latenessSvg(points, MECHANISMS, delays, 'Lateness after await (µs after the deadline): bar = p50, line = p99, log scale'));
  }
  const firstTimer = firstTimers.map((r) => ({ mechanism: r.mechanism, armed: r.armed, ...quantiles(r.lateNs) }));

  if (values.json) {
    const units = { delayMs: 'ms', lateness: 'µs after the deadline (clock before the arming call + delay)', cpuPercent: '% of one core', firstTimer: 'µs after the deadline' };
    const report = { schemaVersion: 3, units, node: process.version, samples, delays, backend: main?.backend, mechanisms: mainSummaries, skipped: main?.skipped ?? [], backends: measured, firstTimer, recommendation, verdict };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const name = (id: MechanismId) => id;
  const text = (table: Table) => renderTable(table, 'text');
  const out: string[] = [];
  if (main) {
    const p99Note = Math.floor(0.99 * samples) >= samples - 1 ? ` (with ${samples} samples, p99 is the maximum)` : '';
    out.push(
      `Where your code resumes: µs after the deadline (the clock read just before the arming call + the delay),`,
      `${samples} samples per row${p99Note}, every mechanism interleaved in one process on '${main.backend}';`,
      'CPU in % of one core; ratios are p50 ÷ the reference\'s p50 in the same frame.',
      '',
      text(latenessTable(mainSummaries, name)),
      '',
      'Promise resumption: µs from resolve() in the callback to the await continuing',
      '(busy-wait: a promise resolved synchronously at the deadline).',
      '',
      text(resumptionTable(mainSummaries, name)),
      '',
    );
  }
  if (measured.length > 0) out.push('Each backend in a fresh process (setTimer and sleep interleaved with the watcher and setTimeout):', '', text(backendsTable(measured, name, ['setTimer', 'sleep'])), '');
  if (firstTimers.length > 0) out.push(`The first timer of a fresh process (a 1 ms timer, ${firstTimerRuns} processes per row):`, '', text(firstTimerTable(firstTimers)), '');
  if (main) {
    out.push("Diagnostic, not the headline: lateness from each mechanism's own deadline (the chain's", 'now() − deadlineNs) and how long into the arming call it read its clock, µs:', '', text(ownFrameTable(mainSummaries, name)), '');
    out.push('Mechanisms:', ...MECHANISMS.map((id) => `  ${id.padEnd(16)} ${MECHANISM_LABELS[id].replaceAll('`', '')}${main.skipped.filter((s) => s.id === id).map((s) => ` — skipped: ${s.reason}`).join('')}`), '');
  }
  if (values.svg) out.push(`Plot written to ${values.svg}.`);
  out.push(`Recommended: --clock ${recommendation}   (or ITIMER_CLOCK=${recommendation}; setTimer's median against the bare watcher's, best first)`);
  out.push('', verdict);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
