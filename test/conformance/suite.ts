/**
 * Registers every conformance case as an ava test, run through one FFI driver.
 * Child-process cases run a few at a time (2 cores; timing cases need their CPU).
 */
import test from 'ava';
import type { FfiDriverName } from '../../src/host/index.js';
import { ffiDriverName, selectFfiDriver } from '../../src/host/index.js';
import { CASES } from '../../src/cli/conformance/cases/index.js';
import { runCase } from '../../src/cli/conformance/framework.js';

const MAX_CHILDREN = 3;

export function registerConformance(driver: FfiDriverName): void {
  selectFfiDriver(driver);
  process.env['ITIMER_FFI'] = driver; // inherited by the case children

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

  for (const testCase of CASES) {
    const register = testCase.serial ? test.serial : test;
    register(`${testCase.id} [${driver}]`, async (t) => {
      await slot();
      try {
        const report = await runCase(testCase);
        t.is(ffiDriverName(), driver);
        t.is(report.got, report.expected, `${testCase.title} (${testCase.reference})`);
        if (report.note) t.log(report.note);
      } finally {
        release();
      }
    });
  }
}
