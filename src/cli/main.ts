#!/usr/bin/env node
/**
 * The `itimer` command line: `backends`, `probe`, `conformance`, `exec` (see `itimer --help`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { BACKENDS_USAGE, backendsCommand } from './commands/backends.js';
import { CONFORMANCE_USAGE, conformanceCommand } from './commands/conformance.js';
import { EXEC_USAGE, execCommand } from './commands/exec.js';
import { PROBE_USAGE, probeCommand } from './commands/probe.js';
import { EXIT, MAIN_USAGE, UsageError } from './usage.js';

/** The commands, each with its usage (printed after an option error, and by `itimer help COMMAND`). */
const COMMANDS = new Map<string, { run: (args: string[]) => number | Promise<number>; usage: string }>([
  ['backends', { run: backendsCommand, usage: BACKENDS_USAGE }],
  ['probe', { run: probeCommand, usage: PROBE_USAGE }],
  ['conformance', { run: conformanceCommand, usage: CONFORMANCE_USAGE }],
  ['exec', { run: execCommand, usage: EXEC_USAGE }],
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
    process.stdout.write(`${about.usage}\n`);
    return EXIT.OK;
  }
  if (command === '-v' || command === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return EXIT.OK;
  }
  const entry = COMMANDS.get(command);
  if (!entry) throw new UsageError(`unknown command '${command}'`, MAIN_USAGE);
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
