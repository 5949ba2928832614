#!/usr/bin/env node
/**
 * The `itimer` command line: `backends`, `probe`, `conformance`, `exec` (see `itimer --help`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { backendsCommand } from './commands/backends.js';
import { conformanceCommand } from './commands/conformance.js';
import { execCommand } from './commands/exec.js';
import { probeCommand, probeWorkerCommand } from './commands/probe.js';
import { EXIT, MAIN_USAGE, UsageError } from './usage.js';

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  backends: backendsCommand,
  probe: probeCommand,
  'probe-worker': probeWorkerCommand,
  conformance: conformanceCommand,
  exec: execCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${MAIN_USAGE}\n`);
    return EXIT.USAGE;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return EXIT.OK;
  }
  if (command === '-v' || command === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return EXIT.OK;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}'`, MAIN_USAGE);
  return run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const parseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  if (!(error instanceof UsageError) && !parseError) throw error;
  const usage = error instanceof UsageError ? error.usage : MAIN_USAGE;
  process.stderr.write(`itimer: ${(error as Error).message}\n\n${usage}\n`);
  process.exitCode = EXIT.USAGE;
}
