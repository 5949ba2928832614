/**
 * Registers every conformance case as an ava test, run through one FFI driver.
 * Child-process cases run a few at a time (2 cores; timing cases need their CPU).
 */
import test from 'ava';
import type { FfiDriverName } from '../../src/host/index.js';
import { ffiDriverName, selectFfiDriver } from '../../src/host/index.js';
import { CASES } from '../../src/cli/conformance/cases/index.js';
import { formatReferences, runCase } from '../../src/cli/conformance/framework.js';
import { configureAlarms, getChain } from '../../src/chain/process-chain.js';

const MAX_CHILDREN = 3;

/**
 * @param clock run the ITIMER_REAL cases against the chain started on this backend list
 *   (as `itimer conformance --clock`), instead of every case against the kernel.
 */
export function registerConformance(driver: FfiDriverName, clock?: string): void {
  selectFfiDriver(driver);
  process.env['ITIMER_FFI'] = driver; // inherited by the case children
  if (clock) {
    process.env['ITIMER_CLOCK'] = clock;
    configureAlarms(clock);
    getChain();
  } else delete process.env['ITIMER_CLOCK'];

  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    while (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };

  for (const testCase of CASES.filter((c) => !clock || c.itimerReal)) {
    const register = testCase.serial ? test.serial : test;
    register(`${testCase.id} [${driver}${clock ? `, chain on ${clock}` : ''}]`, async (t) => {
      await slot();
      try {
        const report = await runCase(testCase);
        t.is(ffiDriverName(), driver);
        if (report.skipped !== undefined) {
          t.log(`skipped: ${report.skipped}`);
          return;
        }
        t.is(report.got, report.expected, `${testCase.title} (${formatReferences(testCase.references)})`);
        if (report.note) t.log(report.note);
      } finally {
        release();
      }
    });
  }
}
