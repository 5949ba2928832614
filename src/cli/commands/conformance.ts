/**
 * `itimer conformance`: the conformance report.
 * @module
 */
import { parseArgs } from 'node:util';
import { activeAlarm, configureAlarms, getChain } from '../../chain/process-chain.js';
import type { FfiDriverName } from '../../host/index.js';
import { ffiDriverName, selectFfiDriver } from '../../host/index.js';
import { CASES } from '../conformance/cases/index.js';
import { runCases } from '../conformance/framework.js';
import { formatTable, summary } from '../conformance/report.js';
import { UsageError } from '../usage.js';

export const CONFORMANCE_USAGE = `Usage: itimer conformance [--json] [--ffi DRIVER] [--filter TEXT] [--clock LIST]

Runs the conformance cases on this host: each states what the man page or the Linux Test
Project expects and reports what happened; a table, then "N passed, N failed" (and
", N skipped" for cases that cannot run here, with their reason; they never fail the run).

  --json          Print the reports as JSON instead of a table.
  --ffi DRIVER    FFI driver: koffi (default) or ffi-napi. Also ITIMER_FFI.
  --filter TEXT   Only the cases whose id contains TEXT.
  --clock LIST    Run the ITIMER_REAL cases against the timer chain started on this
                  backend list (unix: the chain's virtual ITIMER_REAL). Also ITIMER_CLOCK.

Exit status: 0 all passed; 1 some case failed; 2 usage error.`;

export async function conformanceCommand(args: string[]): Promise<number> {
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
    process.stdout.write(`${CONFORMANCE_USAGE}\n`);
    return 0;
  }
  if (values.ffi !== undefined) {
    try {
      selectFfiDriver(values.ffi as FfiDriverName);
    } catch (error) {
      throw new UsageError((error as Error).message, CONFORMANCE_USAGE);
    }
    process.env['ITIMER_FFI'] = values.ffi; // for the child processes
  }
  const clock = values.clock ?? process.env['ITIMER_CLOCK'];
  if (clock) {
    try {
      configureAlarms(clock);
      getChain();
    } catch (error) {
      throw new UsageError((error as Error).message, CONFORMANCE_USAGE);
    }
    process.env['ITIMER_CLOCK'] = clock; // the children start their chain on it too
  }
  const cases = CASES.filter((c) => (!values.filter || c.id.includes(values.filter)) && (!clock || c.itimerReal));
  if (cases.length === 0) throw new UsageError(`no case id contains '${values.filter}'`, CONFORMANCE_USAGE);
  const progress = process.stderr.isTTY && !values.json;
  const reports = await runCases(cases, 4, (report, done, total) => {
    if (progress) process.stderr.write(`\r\x1b[K[${done}/${total}] ${report.skipped !== undefined ? 'SKIP' : report.pass ? 'PASS' : 'FAIL'} ${report.id}`);
  });
  if (progress) process.stderr.write('\r\x1b[K');
  const { passed, failed, skipped } = summary(reports);
  if (values.json) {
    const report = { driver: ffiDriverName(), clock: activeAlarm() ?? null, arch: process.arch, node: process.version, passed, failed, skipped, reports };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatTable(reports, Math.max(80, process.stdout.columns ?? 80))}\n`);
    const on = activeAlarm() ? `, chain on ${activeAlarm()}` : '';
    process.stdout.write(`FFI driver ${ffiDriverName()}${on}, ${process.arch}, Node ${process.version}\n`);
    process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
  return failed === 0 ? 0 : 1;
}

