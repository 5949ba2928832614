/**
 * `itimer probe`: firing lateness per backend and for setTimeout on this host, each in a
 * fresh process, with a progress bar, a table, a terminal histogram, an optional SVG, and
 * a recommended `--clock` string.
 * @module
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendName } from '../../backends/index.js';
import type { LatenessMode, LatenessSample } from '../probe/lateness.js';
import { measureLateness, quantile } from '../probe/lateness.js';
import { latenessSvg } from '../probe/svg.js';
import { clockOption } from '../clock-option.js';
import { UsageError } from '../usage.js';

export const PROBE_USAGE = `Usage: itimer probe [--clock LIST] [--samples N] [--delay MS]... [--json] [--svg FILE]

Measures how late timers fire on this host, and the CPU each mechanism costs: every
backend of LIST (default: ITIMER_CLOCK, else the default order; 'virtual' has no real
time and is left out), the spin tail (setTimer with spin: true), a bare timerfd watcher
(no chain), nanotimer (if installed), Node's setTimeout, and the floor (a thread blocked
in read() on a timerfd: the kernel's own wake-up). Each runs in a fresh process, one
timer at a time. Then recommends a --clock string.

  --clock LIST     Backends to measure, in order (QEMU -clock semantics).
  --samples N      Firings per backend and delay (default 50).
  --delay MS       A delay to measure, repeatable (default: 1 and 5).
  --json           Machine-readable output.
  --svg FILE       Also write an SVG plot (p50 bars, p99 lines, log scale).`;

const self = fileURLToPath(new URL(`../main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/** Runs one measurement in a fresh process (`itimer probe-worker`). */
function measureInChild(mode: LatenessMode, delayMs: number, samples: number): Promise<LatenessSample> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...process.execArgv, self, 'probe-worker', mode, String(delayMs), String(samples)], { encoding: 'utf8', timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`measuring ${mode} at ${delayMs} ms failed: ${stderr.trim() || error.message}`));
      else resolve(JSON.parse(stdout) as LatenessSample);
    });
  });
}

/** `itimer probe-worker MODE DELAY SAMPLES`: one measurement, as JSON (internal). */
export async function probeWorkerCommand(args: string[]): Promise<number> {
  const [mode, delay, samples] = args;
  process.stdout.write(JSON.stringify(await measureLateness(mode as LatenessMode, Number(delay), Number(samples))));
  return 0;
}

/** One row of the probe's summary. */
interface ProbeRow {
  mode: LatenessMode;
  delayMs: number;
  p50: number;
  early: number;
  cpuPercent: number;
}

/** The probe's one-sentence verdict: what to use here, and what it costs. */
export function probeVerdict(rows: readonly ProbeRow[], best: BackendName | undefined, delays: readonly number[]): string {
  if (!best) return 'Verdict: no backend could be measured here; see the errors above.';
  const at = delays[0]!;
  const row = (mode: LatenessMode) => rows.find((r) => r.mode === mode && r.delayMs === at);
  const chosen = row(best);
  const spin = row('spin');
  const node = row('setTimeout');
  const early = rows.filter((r) => r.mode !== 'setTimeout' && r.mode !== 'nanotimer' && r.early > 0).length;
  const parts = [`Verdict: use '${best}' (${chosen ? `${chosen.p50.toFixed(0)} µs late at the median at ${at} ms` : 'fastest here'}`];
  if (node && chosen) parts.push(`, ${(node.p50 / Math.max(chosen.p50, 0.001)).toFixed(1)}× closer to the deadline than setTimeout`);
  parts.push(')');
  if (spin) parts.push(`; for microsecond precision pass spin: true (${spin.p50.toFixed(1)} µs at the median, ${spin.cpuPercent.toFixed(0)} % of a core at ${at} ms)`);
  parts.push(early === 0 ? '. No itimer mechanism fired early.' : `. ${early} itimer measurement(s) fired early: please report it.`);
  return parts.join('');
}

/** Log-spaced histogram buckets, in µs. */
const BUCKETS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

function histogram(sample: LatenessSample): string[] {
  const counts = new Array<number>(BUCKETS.length + 1).fill(0);
  for (const late of sample.lateUs) {
    const index = BUCKETS.findIndex((edge) => late < edge);
    counts[index === -1 ? BUCKETS.length : index]! += 1;
  }
  const most = Math.max(...counts, 1);
  const first = counts.findIndex((c) => c > 0);
  const last = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
  return counts.slice(first, last + 1).map((count, offset) => {
    const i = first + offset;
    const label = i === 0 ? `< ${BUCKETS[0]} µs` : i === BUCKETS.length ? `≥ ${BUCKETS.at(-1)} µs` : `${BUCKETS[i - 1]}–${BUCKETS[i]} µs`;
    return `    ${label.padStart(13)} ${'█'.repeat(Math.round((count / most) * 40))}${count ? ` ${count}` : ''}`;
  });
}

function progressBar(done: number, total: number, label: string): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
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
  const modes: LatenessMode[] = ['floor', 'watcher', ...backends, 'spin', 'nanotimer', 'setTimeout'];
  const jobs = delays.flatMap((delayMs) => modes.map((mode) => ({ mode, delayMs })));
  const tty = process.stderr.isTTY;
  const results: LatenessSample[] = [];
  for (const [index, job] of jobs.entries()) {
    const line = progressBar(index, jobs.length, `${job.mode} at ${job.delayMs} ms`);
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    try {
      results.push(await measureInChild(job.mode, job.delayMs, samples));
    } catch (error) {
      process.stderr.write(`${tty ? '\n' : ''}itimer: ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
  process.stderr.write(tty ? `\r\x1b[K${progressBar(jobs.length, jobs.length, 'done')}\n` : `${progressBar(jobs.length, jobs.length, 'done')}\n`);

  const summary = results.map((r) => ({ mode: r.mode, delayMs: r.delayMs, p50: quantile(r.lateUs, 0.5), p99: quantile(r.lateUs, 0.99), max: r.lateUs.at(-1) ?? Number.NaN, early: r.early, n: r.lateUs.length, cpuPercent: r.cpuPercent }));
  const measured = backends.filter((b) => summary.some((s) => s.mode === b));
  // Rank by the geometric mean of p50 across delays; the backends that did not start go last.
  const score = (mode: string) => Math.exp(delays.reduce((sum, d) => sum + Math.log(Math.max(summary.find((s) => s.mode === mode && s.delayMs === d)?.p50 ?? 1e9, 0.001)), 0) / delays.length);
  const ranked = [...measured].sort((a, b) => score(a) - score(b));
  const recommendation = ranked.join(',');
  if (values.svg) writeFileSync(values.svg, latenessSvg(summary, modes, delays));
  const verdict = probeVerdict(summary, ranked[0], delays);
  if (values.json) {
    const units = { delayMs: 'ms', p50: 'µs', p99: 'µs', max: 'µs', cpuPercent: '% of one core' };
    process.stdout.write(`${JSON.stringify({ schemaVersion: 2, units, samples, delays, results: summary, recommendation, verdict }, null, 2)}\n`);
    return 0;
  }
  const us = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const p99Note = Math.floor(0.99 * samples) >= samples - 1 ? ` (with ${samples} samples, p99 is the maximum)` : '';
  const out = [`Lateness after the deadline, µs, ${samples} samples per row${p99Note}; CPU in % of one core:`, ''];
  out.push(`${'delay'.padStart(7)}  ${'mechanism'.padEnd(10)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  ${'early'.padEnd(6)} ${'CPU %'.padStart(6)}`);
  for (const s of summary) out.push(`${`${s.delayMs} ms`.padStart(7)}  ${s.mode.padEnd(10)} ${us(s.p50).padStart(8)} ${us(s.p99).padStart(8)} ${us(s.max).padStart(8)}  ${`${s.early}/${s.n}`.padEnd(6)} ${s.cpuPercent.toFixed(1).padStart(6)}`);
  out.push('', 'Histograms:');
  for (const r of results) out.push(`  ${r.mode} at ${r.delayMs} ms`, ...histogram(r));
  out.push('');
  if (values.svg) out.push(`Plot written to ${values.svg}.`);
  out.push(`Recommended: --clock ${recommendation}   (or ITIMER_CLOCK=${recommendation}; lowest median lateness first)`);
  out.push('', verdict);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
