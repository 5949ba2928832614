#!/usr/bin/env node
/**
 * The `itimer` command line: `backends`, `probe`, `conformance`, `exec`, `run` (see `itimer --help`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { EXIT, MAIN_USAGE, UsageError } from './usage.js';

/** A command: its run function and its usage (printed after an option error, and by `itimer help COMMAND`). */
interface Command {
  run: (args: string[]) => number | Promise<number>;
  usage: string;
}

/**
 * The commands, each loaded when it is run: `exec` is the trampoline of `spawnWithTimers`, run
 * once per spawned command, and needs none of the chain, backends and suites the others load.
 */
const COMMANDS = new Map<string, () => Promise<Command>>([
  ['backends', async () => import('./commands/backends.js').then((m) => ({ run: m.backendsCommand, usage: m.BACKENDS_USAGE }))],
  ['probe', async () => import('./commands/probe.js').then((m) => ({ run: m.probeCommand, usage: m.PROBE_USAGE }))],
  ['conformance', async () => import('./commands/conformance.js').then((m) => ({ run: m.conformanceCommand, usage: m.CONFORMANCE_USAGE }))],
  ['exec', async () => import('./commands/exec.js').then((m) => ({ run: m.execCommand, usage: m.EXEC_USAGE }))],
  ['run', async () => import('./commands/run.js').then((m) => ({ run: m.runCommand, usage: m.RUN_USAGE }))],
]);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${MAIN_USAGE}\n`);
    return EXIT.USAGE;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(`${MAIN_USAGE}\n`);
      return EXIT.OK;
    }
    const about = COMMANDS.get(topic);
    if (!about) throw new UsageError(`unknown command '${topic}'`, MAIN_USAGE);
    process.stdout.write(`${(await about()).usage}\n`);
    return EXIT.OK;
  }
  if (command === '-v' || command === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS.get(command);
  if (!load) throw new UsageError(`unknown command '${command}'`, MAIN_USAGE);
  const entry = await load();
  try {
    return await entry.run(rest);
  } catch (error) {
    // node:util parseArgs errors (unknown option, missing value) are this command's usage errors.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) throw new UsageError((error as Error).message, entry.usage);
    throw error;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`itimer: ${error.message}\n\n${error.usage}\n`);
  process.exitCode = EXIT.USAGE;
}
