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
const DELAYS_MS = [1, 5, 20, 1000];
const SAMPLES = { 1: 300, 5: 200, 20: 100, 1000: 6 };
const MECHANISMS = ['floor', 'timerfd', 'dynticks', 'unix', 'libuv', 'setTimeout'];
const DEFAULT_BACKEND = 'timerfd';
const PENDING = [1e3, 1e4, 1e5, 1e6];
const ROUNDS = quick ? 1 : 3;

/** @param {string} line */
const progress = (line) => process.stderr.write(`${line}\n`);

/**
 * @param {string} script
 * @param {string[]} args
 */
function runJson(script, args, nodeArgs = /** @type {string[]} */ ([])) {
  const out = execFileSync(process.execPath, [...nodeArgs, `bench/${script}`, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

// ---- lateness ----
/** @type {{ mode: string, delayMs: number, slackNs: number, p50: number, p99: number, max: number, early: number, n: number }[]} */
const lateness = [];
const steps = DELAYS_MS.length * MECHANISMS.length + 4;
let step = 0;
/** @param {string} mode @param {number} delayMs @param {number | undefined} slack */
function measureLateness(mode, delayMs, slack) {
  const samples = quick ? Math.min(20, SAMPLES[/** @type {1} */ (delayMs)]) : SAMPLES[/** @type {1} */ (delayMs)];
  progress(`[${++step}/${steps}] lateness: ${mode} at ${delayMs} ms × ${samples}${slack === undefined ? '' : ` (slack ${slack} ns)`}`);
  const result = runJson('lateness.js', [mode, String(delayMs), String(samples), ...(slack === undefined ? [] : [String(slack)])]);
  const late = result.lateUs;
  lateness.push({ mode, delayMs, slackNs: result.slackNs, p50: quantile(late, 0.5), p99: quantile(late, 0.99), max: late.at(-1), early: result.early, n: late.length });
}
for (const delayMs of DELAYS_MS) for (const mode of MECHANISMS) measureLateness(mode, delayMs, undefined);
for (const delayMs of [1, 5]) for (const mode of [DEFAULT_BACKEND, 'floor']) measureLateness(mode, delayMs, 1);

// ---- throughput, memory, rearms ----
/** @type {{ impl: string, pending: number, pairsPerSecond: number, bytesPerTimer: number, rearmsPer1e5?: number }[]} */
const throughput = [];
for (const pending of quick ? [1e3, 1e5] : PENDING) {
  for (const impl of ['chain', 'node']) {
    progress(`throughput: ${impl} with ${pending} pending, ${ROUNDS} round(s)`);
    const rounds = Array.from({ length: ROUNDS }, () => runJson('throughput.js', [impl, String(pending)], ['--expose-gc']));
    throughput.push({
      impl,
      pending,
      pairsPerSecond: median(rounds.map((r) => r.pairsPerSecond)),
      bytesPerTimer: median(rounds.map((r) => r.bytesPerTimer)),
      rearmsPer1e5: impl === 'chain' ? median(rounds.map((r) => r.rearmsPer1e5)) : undefined,
    });
  }
}

// ---- report ----
/** @param {number} x */
const us = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** @param {string} mode @param {number} delayMs @param {number} slack */
const find = (mode, delayMs, slack = 50_000) => lateness.find((l) => l.mode === mode && l.delayMs === delayMs && (l.slackNs === slack || mode === 'setTimeout'));
const lines = [];
lines.push(`Measured on: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Linux ${release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`);
lines.push('');
lines.push('### Firing lateness (µs after the deadline; timer slack at its default 50 µs)');
lines.push('');
lines.push('| delay | mechanism | p50 | p99 | max | early | p50 ÷ floor p50 | setTimeout p50 ÷ this p50 |');
lines.push('|---:|---|---:|---:|---:|---:|---:|---:|');
for (const delayMs of DELAYS_MS) {
  const floor = find('floor', delayMs);
  const node = find('setTimeout', delayMs);
  for (const mode of MECHANISMS) {
    const l = find(mode, delayMs);
    if (!l || !floor || !node) continue;
    lines.push(`| ${delayMs} ms | ${mode}${mode === DEFAULT_BACKEND ? ' (default)' : ''} | ${us(l.p50)} | ${us(l.p99)} | ${us(l.max)} | ${l.early}/${l.n} | ${(l.p50 / floor.p50).toFixed(2)} | ${(node.p50 / l.p50).toFixed(1)} |`);
  }
}
lines.push('');
lines.push('### Timer slack (prctl PR_SET_TIMERSLACK) at 1 ns instead of 50 µs');
lines.push('');
lines.push('| delay | mechanism | p50 at 50 µs slack | p50 at 1 ns slack | p99 at 50 µs | p99 at 1 ns |');
lines.push('|---:|---|---:|---:|---:|---:|');
for (const delayMs of [1, 5]) {
  for (const mode of [DEFAULT_BACKEND, 'floor']) {
    const a = find(mode, delayMs);
    const b = find(mode, delayMs, 1);
    if (a && b) lines.push(`| ${delayMs} ms | ${mode} | ${us(a.p50)} | ${us(b.p50)} | ${us(a.p99)} | ${us(b.p99)} |`);
  }
}
lines.push('');
lines.push('### Arm + cancel throughput and memory per pending timer (median of ' + ROUNDS + ' runs)');
lines.push('');
lines.push('| pending timers | chain pairs/s | setTimeout+clearTimeout pairs/s | chain ÷ Node | chain bytes/timer | Node bytes/timer | chain ÷ Node bytes | host re-arms per 1e5 random arms |');
lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const pending of [...new Set(throughput.map((r) => r.pending))]) {
  const c = throughput.find((r) => r.impl === 'chain' && r.pending === pending);
  const n = throughput.find((r) => r.impl === 'node' && r.pending === pending);
  if (!c || !n) continue;
  lines.push(
    `| ${pending.toExponential(0)} | ${(c.pairsPerSecond / 1e6).toFixed(2)} M | ${(n.pairsPerSecond / 1e6).toFixed(2)} M | ${(c.pairsPerSecond / n.pairsPerSecond).toFixed(2)} | ${c.bytesPerTimer.toFixed(0)} | ${n.bytesPerTimer.toFixed(0)} | ${(c.bytesPerTimer / n.bytesPerTimer).toFixed(2)} | ${c.rearmsPer1e5} |`,
  );
}
const report = lines.join('\n');
process.stdout.write(`${report}\n`);

if (!quick) {
  const docPath = new URL('docs/performance.md', root);
  const marker = '<!-- generated below by npm run bench -->';
  const head = readFileSync(docPath, 'utf8').split(marker)[0];
  writeFileSync(docPath, `${head}${marker}\n\n${report}\n\n![lateness](lateness.svg)\n`);
  writeFileSync(
    new URL('docs/lateness.svg', root),
    latenessSvg(lateness.filter((l) => l.slackNs !== 1 || l.mode === 'setTimeout'), MECHANISMS, DELAYS_MS),
  );
  progress('wrote docs/performance.md and docs/lateness.svg');
}
