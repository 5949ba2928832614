// Firing lateness and CPU % of several mechanisms measured in ONE process, interleaved
// sample by sample (the order rotates every round), so that the machine's drift from
// second to second affects them alike (run by bench/run.js):
//   node bench/interleaved.js DELAY_MS SAMPLES MODE[,MODE...]
// Prints one JSON line: an array of LatenessSample (see src/cli/probe/lateness.ts).
import { cpuNs, openProbe, summarise } from '../dist/cli/probe/lateness.js';

const [delayText = '1', samplesText = '100', modesText = 'spin,timerfd,watcher,nanotimer,setTimeout,floor'] = process.argv.slice(2);
const delayMs = Number(delayText);
const samples = Number(samplesText);
const probes = modesText.split(',').map((mode) => openProbe(/** @type {import('../dist/cli/probe/lateness.js').LatenessMode} */ (mode)));
const delayNs = Math.round(delayMs * 1e6);
const hrNs = () => Number(process.hrtime.bigint());

const runs = probes.map((probe) => ({ probe, lateNs: /** @type {number[]} */ ([]), cpuNs: 0, wallNs: 0 }));
for (const probe of probes) await probe.fireOnce(delayNs); // warm-up: first calls, JIT, the spin margin's first samples
for (let round = 0; round < samples; round++) {
  for (let k = 0; k < runs.length; k++) {
    const run = /** @type {(typeof runs)[number]} */ (runs[(round + k) % runs.length]);
    const cpuStart = cpuNs();
    const wallStart = hrNs();
    run.lateNs.push(await run.probe.fireOnce(delayNs));
    run.cpuNs += cpuNs() - cpuStart;
    run.wallNs += hrNs() - wallStart;
  }
}
for (const probe of probes) probe.close();
console.log(JSON.stringify(runs.map((r) => summarise(r.probe.mode, delayMs, r.lateNs, r.cpuNs, r.wallNs))));
