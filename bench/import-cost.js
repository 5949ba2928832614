// What importing itimer costs: for each entry point, a fresh node per sample times
// `await import(entry)` and the RSS it adds; the samples of the entry points are interleaved,
// and `node:timers/promises` is measured beside them as the floor of an ES module import.
// Then the start-up of a hello-world program (`console.log('hello')`), whole processes timed
// from outside, with and without `--import itimer/register`, interleaved.
//
//   npm run bench:import [-- SAMPLES]        (default 15 samples per entry point)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const samples = Number(process.argv[2] ?? 15);
const entries = ['node:timers/promises', 'itimer', 'itimer/timers', 'itimer/promises', 'itimer/register'];
/** @param {string} entry */
const script = (entry) =>
  `const t = performance.now(); const rss = process.memoryUsage().rss; await import(${JSON.stringify(entry)}); ` +
  `console.log(JSON.stringify({ ms: performance.now() - t, mb: (process.memoryUsage().rss - rss) / 1e6 }));`;

/** @type {Map<string, { ms: number, mb: number }[]>} */
const results = new Map(entries.map((entry) => [entry, []]));
for (let i = 0; i < samples; i++) {
  process.stderr.write(`\rsample ${i + 1}/${samples}`);
  for (const entry of entries) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(entry)], { cwd: root, encoding: 'utf8' });
    results.get(entry)?.push(JSON.parse(out));
  }
}
process.stderr.write('\n');
/** @param {number[]} values */
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
console.log(`import cost, median of ${samples} fresh processes (node ${process.version})`);
for (const [entry, runs] of results) {
  console.log(`${entry.padEnd(22)} ${median(runs.map((r) => r.ms)).toFixed(1).padStart(6)} ms ${median(runs.map((r) => r.mb)).toFixed(1).padStart(6)} MB RSS`);
}

// A hello-world program, started and ended: the whole process, timed from here.
const hello = ['-e', "console.log('hello')"];
/** @type {Record<string, string[]>} */
const programs = { 'node hello': hello, 'node --import itimer/register hello': ['--import', 'itimer/register', ...hello] };
/** @type {Map<string, number[]>} */
const wall = new Map(Object.keys(programs).map((name) => [name, []]));
for (let i = 0; i < samples; i++) {
  for (const [name, args] of Object.entries(programs)) {
    const start = performance.now();
    execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    wall.get(name)?.push(performance.now() - start);
  }
}
const plain = median(wall.get('node hello') ?? []);
const registered = median(wall.get('node --import itimer/register hello') ?? []);
console.log(`hello-world start-up, median of ${samples} processes: ${plain.toFixed(1)} ms; with --import itimer/register ${registered.toFixed(1)} ms (+${(registered - plain).toFixed(1)} ms)`);
