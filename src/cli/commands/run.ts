/**
 * `itimer run SCRIPT [ARGS…]`: runs a Node program with `itimer/register`, the one-word way
 * to put a whole program on the chain's timers: `node --import itimer/register SCRIPT ARGS`,
 * with this Node, the caller's environment and stdio; the program's exit status is this
 * command's, and a program ended by a signal ends this command by the same signal.
 * @module
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { UsageError } from '../usage.js';

export const RUN_USAGE = `Usage: itimer run [--report] [--clock LIST] [--] SCRIPT [ARGS...]

Runs the Node program SCRIPT with ARGS, its timers on the timer chain: the global
setTimeout / setInterval / clearTimeout / clearInterval, AbortSignal.timeout, and imports of
node:timers and node:timers/promises (node --import itimer/register SCRIPT ARGS; see
docs/register.md). The program's exit status is this command's.

  --report       Print what was replaced to stderr (ITIMER_REGISTER_REPORT=1).
  --clock LIST   The chain's backends, a config string (ITIMER_CLOCK).

ITIMER_REGISTER=0 runs the program on Node's own timers.`;

/** The entry point of `itimer/register`, beside this CLI in the package. */
const REGISTER_URL = new URL('../../register.js', import.meta.url).href;

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { report: { type: 'boolean' }, clock: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const [script, ...scriptArgs] = positionals;
  if (script === undefined) throw new UsageError('a SCRIPT to run is required', RUN_USAGE);
  const env = { ...process.env };
  if (values.report) env['ITIMER_REGISTER_REPORT'] = '1';
  if (values.clock !== undefined) env['ITIMER_CLOCK'] = values.clock;
  const child = spawn(process.execPath, ['--import', REGISTER_URL, script, ...scriptArgs], { stdio: 'inherit', env });
  // The program decides about the signals a terminal sends to the whole process group.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeListener(name, forward);
  if (signal) {
    process.kill(process.pid, signal); // as the program ended
    return 128;
  }
  return code ?? 1;
}
