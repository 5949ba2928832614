// Firing lateness of one mechanism at one delay, in a fresh process (run by bench/run.js):
//   node bench/lateness.js MODE DELAY_MS SAMPLES [SLACK_NS]
// MODE: a chain backend (timerfd, dynticks, unix, libuv), `setTimeout`, or `floor`.
// Prints one JSON line (see LatenessSample in src/cli/probe/lateness.ts).
import { measureLateness } from '../dist/cli/probe/lateness.js';
import { setTimerSlack } from '../dist/index.js';

const [mode = 'timerfd', delayText = '1', samplesText = '100', slackText] = process.argv.slice(2);
if (slackText !== undefined) setTimerSlack(Number(slackText));
const sample = await measureLateness(/** @type {import('../dist/cli/probe/lateness.js').LatenessMode} */ (mode), Number(delayText), Number(samplesText));
console.log(JSON.stringify(sample));
