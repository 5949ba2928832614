#!/usr/bin/env node
/**
 * The `itimer` command line.
 *
 * ```
 * itimer conformance [--json] [--ffi koffi|ffi-napi]
 * ```
 * Exit codes: 0 success; 1 a conformance case failed; 2 bad usage.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FfiDriverName } from '../host/index.js';
import { ffiDriverName, selectFfiDriver } from '../host/index.js';
import { activeAlarm, configureAlarms, getChain } from '../chain/process-chain.js';
import { CASES } from './conformance/cases/index.js';
import { runCases } from './conformance/framework.js';
import { formatTable, summary } from './conformance/report.js';

const USAGE = `Usage: itimer <command> [options]

Commands:
  conformance   Run the conformance cases (alarm, setitimer, getitimer, timer_*,
                sigaction, sigprocmask, pause, clocks) on this host and report them.

Options for conformance:
  --json              Print the reports as JSON instead of a table.
  --ffi DRIVER        FFI driver: koffi (default) or ffi-napi. Also ITIMER_FFI.
  --filter TEXT       Only the cases whose id contains TEXT.
  --clock LIST        Run the ITIMER_REAL cases against the timer chain started on
                      this backend list (e.g. unix: the chain's virtual ITIMER_REAL).
                      Also ITIMER_CLOCK.

General:
  -h, --help          Show this help.
  -v, --version       Show the version.

Exit status: 0 all cases passed; 1 some case failed; 2 usage error.`;

class UsageError extends Error {}

async function conformance(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      ffi: { type: 'string' },
      filter: { type: 'string' },
      clock: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.ffi !== undefined) {
    try {
      selectFfiDriver(values.ffi as FfiDriverName);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    process.env['ITIMER_FFI'] = values.ffi; // for the child processes
  }
  const clock = values.clock ?? process.env['ITIMER_CLOCK'];
  if (clock) {
    try {
      configureAlarms(clock);
      getChain();
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    process.env['ITIMER_CLOCK'] = clock; // the children start their chain on it too
  }
  const cases = CASES.filter((c) => (!values.filter || c.id.includes(values.filter)) && (!clock || c.itimerReal));
  if (cases.length === 0) throw new UsageError(`no case id contains '${values.filter}'`);
  const progress = process.stderr.isTTY && !values.json;
  const reports = await runCases(cases, 4, (report, done, total) => {
    if (progress) process.stderr.write(`\r\x1b[K[${done}/${total}] ${report.pass ? 'PASS' : 'FAIL'} ${report.id}`);
  });
  if (progress) process.stderr.write('\r\x1b[K');
  const { passed, failed } = summary(reports);
  if (values.json) {
    const report = { driver: ffiDriverName(), clock: activeAlarm() ?? null, arch: process.arch, node: process.version, passed, failed, reports };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatTable(reports, Math.max(100, process.stdout.columns ?? 120))}\n`);
    const on = activeAlarm() ? `, chain on ${activeAlarm()}` : '';
    process.stdout.write(`FFI driver ${ffiDriverName()}${on}, ${process.arch}, Node ${process.version}: ${passed} passed, ${failed} failed\n`);
  }
  return failed === 0 ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'conformance':
      return conformance(rest);
    case '-v':
    case '--version': {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError) && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true) throw error;
  process.stderr.write(`itimer: ${(error as Error).message}\n${USAGE}\n`);
  process.exitCode = 2;
}
