// The itimer benchmarks, in one run on this machine; results as ratios, written into
// docs/performance.md (between the generated markers) and docs/lateness.svg.
//
//   npm run bench              # full run (a few minutes)
//   npm run bench -- --quick   # fewer samples, for a smoke test; docs are not written
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { quantile } from '../dist/cli/probe/lateness.js';
import { latenessSvg } from '../dist/cli/probe/svg.js';

const quick = process.argv.includes('--quick');
const root = new URL('..', import.meta.url);
const INTERLEAVED = ['spin', 'timerfd', 'watcher', 'nanotimer', 'setTimeout', 'floor'];
const DELAYS_MS = [1, 5, 20];
const SAMPLES = quick ? { 1: 30, 5: 20, 20: 10 } : { 1: 300, 5: 200, 20: 100 };
const BACKENDS = ['timerfd', 'dynticks', 'unix', 'libuv'];
const BACKEND_SAMPLES = quick ? 20 : 100;
const PENDING = quick ? [1e3, 1e5] : [1e3, 1e4, 1e5, 1e6];
const ROUNDS = quick ? 1 : 3;
const FIRST_RUNS = quick ? 2 : 7;

/** @param {string} line */
const progress = (line) => process.stderr.write(`${line}\n`);
/** @param {string} script @param {string[]} args @param {string[]} nodeArgs */
function runJson(script, args, nodeArgs = []) {
  const out = execFileSync(process.execPath, [...nodeArgs, `bench/${script}`, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}
/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
/** @param {number} x */
const us = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
/** @param {{ lateUs: number[] }} s */
const stats = (s) => ({ p50: quantile(s.lateUs, 0.5), p99: quantile(s.lateUs, 0.99), max: s.lateUs.at(-1) ?? NaN });
const steps = DELAYS_MS.length + 2 + PENDING.length * 2 + 2 + 2;
let step = 0;

// ---- lateness, interleaved in one process ----
/** @type {any[]} */
const interleaved = [];
for (const delayMs of DELAYS_MS) {
  const samples = SAMPLES[/** @type {1} */ (delayMs)];
  progress(`[${++step}/${steps}] lateness at ${delayMs} ms: ${INTERLEAVED.join(', ')} interleaved, ${samples} rounds`);
  interleaved.push(...runJson('interleaved.js', [String(delayMs), String(samples), INTERLEAVED.join(',')]));
}

// ---- the chain's backends, each in a fresh process ----
/** @type {any[]} */
const backends = [];
for (const delayMs of [1, 5]) {
  progress(`[${++step}/${steps}] backends at ${delayMs} ms: ${BACKENDS.join(', ')} (a fresh process each), ${BACKEND_SAMPLES} samples`);
  for (const mode of ['floor', ...BACKENDS, 'setTimeout']) backends.push(runJson('lateness.js', [mode, String(delayMs), String(BACKEND_SAMPLES)]));
}

// ---- throughput and memory ----
/** @type {any[]} */
const throughput = [];
/** @param {string} pattern @param {number} pending */
function measureThroughput(pattern, pending) {
  for (const impl of ['chain', 'node']) {
    progress(`[${++step}/${steps}] arm+cancel: ${impl}, ${pattern} pattern${pattern === 'random' ? `, ${pending} pending` : ''}, ${ROUNDS} round(s)`);
    const rounds = Array.from({ length: ROUNDS }, () => runJson('throughput.js', [impl, pattern, String(pending)], ['--expose-gc']));
    throughput.push({ impl, pattern, pending, pairsPerSecond: median(rounds.map((r) => r.pairsPerSecond)), bytesPerTimer: median(rounds.map((r) => r.bytesPerTimer ?? NaN)), hostRearms: median(rounds.map((r) => r.hostRearms ?? NaN)) });
  }
}
measureThroughput('head', 0);
for (const pending of PENDING) measureThroughput('random', pending);

// ---- the first timer of a fresh process ----
/** @type {Record<string, any[]>} */
const first = { sync: [], tick: [] };
for (const when of ['sync', 'tick']) {
  progress(`[${++step}/${steps}] first timer (${when}): ${FIRST_RUNS} fresh processes`);
  for (let i = 0; i < FIRST_RUNS; i++) first[when]?.push(runJson('first-timer.js', [when]));
}

// ---- report ----
const find = (/** @type {any[]} */ list, /** @type {string} */ mode, /** @type {number} */ delayMs) => list.find((l) => l.mode === mode && l.delayMs === delayMs);
const lines = [];
lines.push(`Measured on: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Linux ${release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`);
lines.push('');
lines.push('### Firing lateness, interleaved sample by sample in one process');
lines.push('');
lines.push('µs after the deadline; CPU % is the process\'s CPU time over the wall time of that mechanism\'s samples (100 % = one core). `timerfd` is the default path (`setTimer` on the default backend); `spin` is `setTimer(..., { spin: true })`; `watcher` is a bare timerfd polled on the event loop (no chain); `floor` is a thread blocked in `read()` on a timerfd (no event loop).');
lines.push('');
lines.push('| delay | mechanism | samples | p50 | p99 | max | early | CPU % | p50 ÷ watcher p50 |');
lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const delayMs of DELAYS_MS) {
  const watcher = find(interleaved, 'watcher', delayMs);
  for (const mode of INTERLEAVED) {
    const l = find(interleaved, mode, delayMs);
    if (!l) continue;
    const s = stats(l);
    lines.push(`| ${delayMs} ms | ${mode} | ${l.lateUs.length} | ${us(s.p50)} | ${us(s.p99)} | ${us(s.max)} | ${l.early} | ${l.cpuPercent.toFixed(1)} | ${watcher ? (s.p50 / stats(watcher).p50).toFixed(2) : '—'} |`);
  }
}
lines.push('');
lines.push('### The chain\'s backends (each in a fresh process, one after another)');
lines.push('');
lines.push('| delay | mechanism | samples | p50 | p99 | max | early | CPU % |');
lines.push('|---:|---|---:|---:|---:|---:|---:|---:|');
for (const l of backends) {
  const s = stats(l);
  lines.push(`| ${l.delayMs} ms | ${l.mode} | ${l.lateUs.length} | ${us(s.p50)} | ${us(s.p99)} | ${us(s.max)} | ${l.early} | ${l.cpuPercent.toFixed(1)} |`);
}
lines.push('');
lines.push(`### Arm + cancel throughput and memory per pending timer (median of ${ROUNDS} runs)`);
lines.push('');
lines.push('`head`: the only timer, armed then cancelled (a timeout per request, cancelled on reply: every arm is a new head). `random`: far-future random delays (1000–2000 s) with N timers pending, so the new timer is rarely the head and delays are rarely shared. 200 000 pairs in batches of 1000 separated by event-loop turns.');
lines.push('');
lines.push('| pattern | pending | chain pairs/s | setTimeout+clearTimeout pairs/s | chain ÷ Node | host re-arms | chain bytes/timer | Node bytes/timer | chain ÷ Node bytes |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const c of throughput.filter((r) => r.impl === 'chain')) {
  const n = throughput.find((r) => r.impl === 'node' && r.pattern === c.pattern && r.pending === c.pending);
  if (!n) continue;
  const bytes = c.pattern === 'random' ? `${c.bytesPerTimer.toFixed(0)} | ${n.bytesPerTimer.toFixed(0)} | ${(c.bytesPerTimer / n.bytesPerTimer).toFixed(2)}` : '— | — | —';
  lines.push(`| ${c.pattern} | ${c.pending ? c.pending.toExponential(0) : 0} | ${(c.pairsPerSecond / 1e6).toFixed(2)} M | ${(n.pairsPerSecond / 1e6).toFixed(2)} M | ${(c.pairsPerSecond / n.pairsPerSecond).toFixed(2)} | ${c.hostRearms} | ${bytes} |`);
}
lines.push('');
lines.push(`### The first timer of a fresh process (a 1 ms timer, median of ${FIRST_RUNS} processes)`);
lines.push('');
lines.push('| armed | late from the setTimer call | late from its deadline |');
lines.push('|---|---:|---:|');
for (const when of ['sync', 'tick']) {
  const runs = first[when] ?? [];
  lines.push(`| ${when === 'sync' ? 'at top level, right after import' : 'after one event-loop turn'} | ${median(runs.map((r) => r.fromCallMs)).toFixed(2)} ms | ${median(runs.map((r) => r.fromDeadlineMs)).toFixed(2)} ms |`);
}
const report = lines.join('\n');
process.stdout.write(`${report}\n`);

if (!quick) {
  const docPath = new URL('docs/performance.md', root);
  const marker = '<!-- generated below by npm run bench -->';
  const head = readFileSync(docPath, 'utf8').split(marker)[0];
  writeFileSync(docPath, `${head}${marker}\n\n${report}\n\n![lateness](lateness.svg)\n`);
  const svgRows = interleaved.map((l) => ({ mode: l.mode, delayMs: l.delayMs, ...stats(l) }));
  writeFileSync(new URL('docs/lateness.svg', root), latenessSvg(svgRows, INTERLEAVED, DELAYS_MS));
  progress('wrote docs/performance.md and docs/lateness.svg');
}
