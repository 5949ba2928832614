// The itimer benchmarks in one run on this machine, measured where the user's code resumes
// (the measuring code is the probe's: src/cli/probe/), reported as tables and ratios within
// the run, checked against the goals, and written into docs/performance.md (below the
// generated marker) and docs/lateness.svg.
//
//   npm run bench                # the full run: a few minutes; rewrites the docs
//   npm run bench -- --quick     # a smoke run with few samples; writes nothing
//   npm run bench -- --json      # prints the results as JSON on stdout instead of the tables
//
// Progress goes to stderr. Absolute µs move from day to day on a VM; the ratios are the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runInChild, runNode } from '../dist/cli/probe/child.js';
import { FIRST_TIMER_CASES, measureFirstTimers } from '../dist/cli/probe/first-timer.js';
import { shuffled } from '../dist/cli/probe/measure.js';
import { ITIMER_MECHANISMS, MECHANISM_LABELS, MECHANISMS } from '../dist/cli/probe/mechanisms.js';
import { backendsTable, firstTimerTable, formatUs, latenessTable, ownFrameTable, renderTable, resumptionTable } from '../dist/cli/probe/report.js';
import { quantiles, summarise } from '../dist/cli/probe/stats.js';
import { latenessSvg } from '../dist/cli/probe/svg.js';

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const root = new URL('..', import.meta.url);
const DELAYS_MS = [1, 5];
const ROUNDS = quick ? 10 : 300;
const BACKENDS = ['timerfd', 'dynticks', 'unix', 'libuv'];
/** @type {import('../dist/cli/probe/mechanisms.js').MechanismId[]} */
const BACKEND_MECHANISMS = ['setTimer', 'sleep', 'watcher', 'setTimeout'];
const BACKEND_ROUNDS = quick ? 5 : 100;
const FIRST_RUNS = quick ? 2 : 10;
/** @type {[pattern: string, count: number][]} */
const THROUGHPUT = quick
  ? [['head', 0], ['random', 1e5], ['burst', 1e5]]
  : [['head', 0], ['random', 1e5], ['random', 1e6], ['burst', 1e5], ['burst', 1e6]];
const THROUGHPUT_ROUNDS = quick ? 1 : 3;

// ---- progress on stderr: a line per step, and the step's share done ----
const tty = process.stderr.isTTY;
const steps = 1 + BACKENDS.length + 1 + 1;
let step = 0;
/** @type {string} */
let stepLabel = '';
let lastTenth = 0;
/** @param {string} label */
function begin(label) {
  if (step > 0 && !tty) process.stderr.write('\n');
  stepLabel = `[${++step}/${steps}] ${label}`;
  lastTenth = 0;
  process.stderr.write(tty ? `\r\x1b[K${stepLabel}` : `${stepLabel}:`);
}
/** @param {number} done @param {number} total */
function advance(done, total) {
  if (tty) process.stderr.write(`\r\x1b[K${stepLabel}: ${Math.floor((100 * done) / total)} %`);
  else if (Math.floor((10 * done) / total) > lastTenth) {
    lastTenth = Math.floor((10 * done) / total);
    process.stderr.write(` ${lastTenth * 10} %`);
  }
}
const endSteps = () => process.stderr.write('\n');

// ---- 1. every mechanism, interleaved in one process ----
begin(`where the user's code resumes: ${MECHANISMS.length} mechanisms × ${DELAYS_MS.join(' and ')} ms interleaved in one process, ${ROUNDS} rounds`);
const main = await runInChild({ mechanisms: [...MECHANISMS], delaysMs: DELAYS_MS, rounds: ROUNDS }, advance);
const summaries = summarise(main.series);

// ---- 2. each backend in a fresh process ----
/** @type {{ backend: string, summaries: import('../dist/cli/probe/stats.js').Summary[] }[]} */
const backends = [];
for (const backend of BACKENDS) {
  begin(`backend ${backend}: ${BACKEND_MECHANISMS.join(', ')} interleaved in a fresh process, ${BACKEND_ROUNDS} rounds`);
  try {
    const run = await runInChild({ clock: backend, mechanisms: BACKEND_MECHANISMS, delaysMs: DELAYS_MS, rounds: BACKEND_ROUNDS }, advance);
    backends.push({ backend, summaries: summarise(run.series) });
  } catch (error) {
    process.stderr.write(`\n  ${backend} could not be measured: ${/** @type {Error} */ (error).message.split('\n')[0]}\n`);
  }
}

// ---- 3. the first timer of a fresh process ----
begin(`first timer: ${FIRST_TIMER_CASES.length} cases × ${FIRST_RUNS} fresh processes, interleaved`);
const firstTimers = await measureFirstTimers(FIRST_RUNS, { onProgress: advance });

// ---- 4. arm + cancel throughput, fresh processes, interleaved ----
const throughputJobs = THROUGHPUT.flatMap(([pattern, count]) => ['chain', 'node'].map((impl) => ({ impl, pattern, count })));
begin(`arm + cancel: ${throughputJobs.length} configurations × ${THROUGHPUT_ROUNDS} round(s), a fresh process each, interleaved`);
/** @type {Map<string, { pairsPerSecond: number, bytesPerTimer?: number }[]>} */
const throughputRuns = new Map();
const script = fileURLToPath(new URL('throughput.js', import.meta.url));
let jobsDone = 0;
for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
  for (const job of shuffled(throughputJobs)) {
    const out = await runNode(['--expose-gc', script, job.impl, job.pattern, String(job.count)]);
    const key = `${job.impl} ${job.pattern} ${job.count}`;
    throughputRuns.set(key, [...(throughputRuns.get(key) ?? []), JSON.parse(out)]);
    advance(++jobsDone, throughputJobs.length * THROUGHPUT_ROUNDS);
  }
}
endSteps();
/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const throughput = THROUGHPUT.map(([pattern, count]) => {
  /** @param {string} impl */
  const of = (impl) => throughputRuns.get(`${impl} ${pattern} ${count}`) ?? [];
  const chain = median(of('chain').map((r) => r.pairsPerSecond));
  const node = median(of('node').map((r) => r.pairsPerSecond));
  const chainBytes = median(of('chain').map((r) => r.bytesPerTimer ?? Number.NaN));
  const nodeBytes = median(of('node').map((r) => r.bytesPerTimer ?? Number.NaN));
  return { pattern, count, chainPairsPerSecond: chain, nodePairsPerSecond: node, ratio: chain / node, chainBytesPerTimer: chainBytes, nodeBytesPerTimer: nodeBytes };
});

// ---- the goals (issues 15 and 16), checked on this run ----
/** @param {string} id @param {number} delayMs */
const find = (id, delayMs) => summaries.find((s) => s.id === id && s.delayMs === delayMs);
/** @type {{ goal: string, measured: string, met: boolean | null }[]} */
const goals = [];
/** @param {string} goal @param {(number | undefined)[]} values @param {(v: number) => boolean} ok @param {(v: number) => string} show */
function goal(goal, values, ok, show) {
  const known = /** @type {number[]} */ (values.filter((v) => v !== undefined && !Number.isNaN(v)));
  goals.push({ goal, measured: known.length ? known.map(show).join(' / ') : 'not measured', met: known.length === values.length ? known.every(ok) : null });
}
const at = (/** @type {(delayMs: number) => number | undefined} */ f) => DELAYS_MS.map(f);
const x = (/** @type {number} */ v) => `${v.toFixed(2)}×`;
const µs = (/** @type {number} */ v) => `${formatUs(v)} µs`;
const d = DELAYS_MS.join(' / ');
for (const frame of /** @type {const} */ (['callback', 'await'])) {
  for (const id of frame === 'callback' ? ['setTimer-spin'] : ['setTimer-spin', 'sleep-spin']) {
    goal(`${id} ${frame === 'callback' ? 'callback' : 'after await'} p50 ≤ 0.5× nanotimer's (at ${d} ms)`, at((ms) => ratioOf(find(id, ms)?.[frame]?.p50, find('nanotimer', ms)?.[frame]?.p50)), (v) => v <= 0.5, x);
  }
}
goal(`setTimer-spin callback p50 within 5 µs of the busy-wait's (at ${d} ms)`, at((ms) => diffOf(find('setTimer-spin', ms)?.callback?.p50, find('busy-wait', ms)?.callback?.p50)), (v) => v <= 5, µs);
goal('spin ≤ 15 % of a core at 5 ms (setTimer-spin / sleep-spin)', [find('setTimer-spin', 5)?.cpuPercent, find('sleep-spin', 5)?.cpuPercent], (v) => v <= 15, (v) => `${v.toFixed(1)} %`);
const itimerRows = [...summaries, ...backends.flatMap((b) => b.summaries)].filter((s) => ITIMER_MECHANISMS.includes(s.id));
goal('itimer never early (samples before the deadline, every itimer mechanism, frame and run)', [itimerRows.reduce((n, s) => n + s.await.early + (s.callback?.early ?? 0), 0)], (v) => v === 0, String);
goal(`a promise resolved in a setTimer callback resumes within 2 µs of one resolved synchronously (p50 difference at ${d} ms)`, at((ms) => diffOf(find('setTimer', ms)?.resumption?.p50, find('busy-wait', ms)?.resumption?.p50)), (v) => v <= 2, µs);
for (const [id, frame] of /** @type {const} */ ([['setTimer', 'callback'], ['sleep', 'await'], ['itimer/promises', 'await']])) {
  const own = (/** @type {number} */ ms) => find(id, ms)?.[frame];
  const node = (/** @type {number} */ ms) => find('setTimeout', ms)?.[frame];
  const name = `${id} (${frame === 'callback' ? 'callback' : 'after await'})`;
  goal(`${name} p50 ≤ 1.2× the bare watcher's (at ${d} ms)`, at((ms) => own(ms)?.vsWatcher), (v) => v <= 1.2, x);
  goal(`${name} p50 ≤ 0.8× setTimeout's`, at((ms) => own(ms)?.vsSetTimeout), (v) => v <= 0.8, x);
  goal(`${name} p90 ≤ setTimeout's`, at((ms) => ratioOf(own(ms)?.p90, node(ms)?.p90)), (v) => v <= 1, x);
  goal(`${name} p99 ≤ 1.5× setTimeout's`, at((ms) => ratioOf(own(ms)?.p99, node(ms)?.p99)), (v) => v <= 1.5, x);
}
const firstSetTimer = firstTimers.filter((r) => r.mechanism === 'setTimer');
goal('the first timer ≤ 1 ms late from its call (p50 of the processes: top level / after idle)', firstSetTimer.map((r) => quantiles(r.lateNs)?.p50), (v) => v <= 1000, (v) => `${(v / 1000).toFixed(2)} ms`);
for (const pattern of ['random', 'burst']) {
  const rows = throughput.filter((t) => t.pattern === pattern);
  goal(`arm + cancel ≥ 3× setTimeout + clearTimeout, ${pattern} (at ${rows.map((t) => t.count.toExponential(0)).join(' / ')})`, rows.map((t) => t.ratio), (v) => v >= 3, x);
}
/** @param {number | undefined} a @param {number | undefined} b */
function ratioOf(a, b) {
  return a === undefined || b === undefined || b <= 0 ? undefined : a / b;
}
/** @param {number | undefined} a @param {number | undefined} b */
function diffOf(a, b) {
  return a === undefined || b === undefined ? undefined : a - b;
}

// ---- report ----
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Linux ${release()}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
if (json) {
  const units = { delayMs: 'ms', lateness: 'µs after the deadline (clock before the arming call + delay)', cpuPercent: '% of one core', firstTimer: 'µs after the deadline', pairsPerSecond: 'arm + cancel pairs per second' };
  const firstTimer = firstTimers.map((r) => ({ mechanism: r.mechanism, armed: r.armed, ...quantiles(r.lateNs) }));
  process.stdout.write(`${JSON.stringify({ schemaVersion: 1, units, machine, date, rounds: ROUNDS, backend: main.backend, mechanisms: summaries, skipped: main.skipped, backends, firstTimer, throughput, goals }, null, 2)}\n`);
}
/** @param {import('../dist/cli/probe/mechanisms.js').MechanismId} id */
const label = (id) => MECHANISM_LABELS[id];
/** @param {import('../dist/cli/probe/report.js').Table} table */
const md = (table) => renderTable(table, 'markdown');
const skipped = main.skipped.map((s) => `${s.id} was skipped (${s.reason}).`).join(' ');
const lines = [
  `Measured on: ${machine}, ${date}.${quick ? ' A --quick run: too few samples to quote.' : ''}`,
  '',
  '### Where the user\'s code resumes',
  '',
  `µs after the deadline — \`process.hrtime\` read just before the arming call, plus the delay — read in the callback and after \`await\`; every mechanism interleaved sample by sample in one process on the \`${main.backend}\` backend, the order shuffled every round, ${ROUNDS} samples per row. CPU % is the process's CPU time over the wall time of that mechanism's samples (100 % = one core). Ratios: p50 ÷ the reference's p50 in the same frame (\`setTimeout\` is Node's, \`watcher\` the bare timerfd watcher).${skipped ? ` ${skipped}` : ''}`,
  '',
  md(latenessTable(summaries, label)),
  '',
  '### Promise resumption',
  '',
  'µs from the `resolve()` in a callback to the `await` continuing (the same samples: after await minus in the callback). The busy-wait\'s is a promise resolved synchronously at the deadline: the reference.',
  '',
  md(resumptionTable(summaries, label)),
  '',
  '### The goals, on this run',
  '',
  md({ head: ['goal', 'measured', 'met'], rows: goals.map((g) => [g.goal, g.measured, g.met === null ? '—' : g.met ? 'yes' : '**no**']), numeric: [false, true, false] }),
  '',
  '### Each backend in a fresh process',
  '',
  `\`setTimer\` and \`sleep\` on each backend, interleaved with the bare watcher and Node's \`setTimeout\` in the same process, ${BACKEND_ROUNDS} samples per row; the ratios compare within each process.`,
  '',
  md(backendsTable(backends, label, ['setTimer', 'sleep'])),
  '',
  '### The first timer of a fresh process',
  '',
  `A 1 ms timer in a fresh \`node\` that imports itimer, armed at top level right after the import or after 50 ms of idle; Node's \`setTimeout\` in the same kind of process as the reference. Late from the clock read just before the call; ${FIRST_RUNS} processes per row, interleaved.`,
  '',
  md(firstTimerTable(firstTimers)),
  '',
  `### Arm + cancel throughput and memory per pending timer (median of ${THROUGHPUT_ROUNDS} fresh process${THROUGHPUT_ROUNDS === 1 ? '' : 'es'} per row, interleaved)`,
  '',
  '`head`: the only timer, armed then cancelled. `random`: far-future random delays (1000–2000 s, never shared) with N timers pending; 200 000 pairs in batches of 1000 between event-loop turns. `burst`: N timers with random whole-ms delays of 1–60 s armed, a turn, then all cancelled. `setTimer(...).cancel()` against `clearTimeout(setTimeout(...))`; timed: the loops and the microtasks they queued. Memory: heap growth per pending timer after a full GC (random pattern).',
  '',
  md({
    head: ['pattern', 'N', 'chain pairs/s', 'setTimeout + clearTimeout pairs/s', 'chain ÷ Node', 'chain bytes/timer', 'Node bytes/timer', 'chain ÷ Node bytes'],
    rows: throughput.map((t) => {
      const bytes = Number.isNaN(t.chainBytesPerTimer) ? ['—', '—', '—'] : [t.chainBytesPerTimer.toFixed(0), t.nodeBytesPerTimer.toFixed(0), (t.chainBytesPerTimer / t.nodeBytesPerTimer).toFixed(2)];
      return [t.pattern, t.count ? t.count.toExponential(0) : '—', `${(t.chainPairsPerSecond / 1e6).toFixed(2)} M`, `${(t.nodePairsPerSecond / 1e6).toFixed(2)} M`, t.ratio.toFixed(2), ...bytes];
    }),
    numeric: [false, true, true, true, true, true, true, true],
  }),
  '',
  '### Diagnostic: each mechanism\'s own frame (not the headline)',
  '',
  'Lateness from the deadline the mechanism computed itself (for the chain, `now() − deadlineNs`), and how long into the arming call it read its clock: the part of the user\'s lateness spent before the mechanism knew the time.',
  '',
  md(ownFrameTable(summaries, label)),
];
const report = lines.join('\n');
if (!json) process.stdout.write(`${report}\n`);

if (!quick) {
  const docPath = new URL('docs/performance.md', root);
  const marker = '<!-- generated below by npm run bench -->';
  const head = readFileSync(docPath, 'utf8').split(marker)[0];
  writeFileSync(docPath, `${head}${marker}\n\n${report}\n\n![lateness](lateness.svg)\n`);
  const points = summaries.map((s) => ({ mode: s.id, delayMs: s.delayMs, p50: s.await.p50, p99: s.await.p99 }));
  writeFileSync(new URL('docs/lateness.svg', root), latenessSvg(points, MECHANISMS, DELAYS_MS, 'Lateness after await (µs after the deadline): bar = p50, line = p99, log scale'));
  process.stderr.write('wrote docs/performance.md and docs/lateness.svg\n');
}
